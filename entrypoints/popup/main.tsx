// First, so the state is asked for before anything else is evaluated.
import { firstState } from './first-state';
import { render } from 'preact';
import { uiLanguage } from '../../ext/i18n';
import { App } from './App';
import './style.css';

// The page speaks the browser's language (screen readers pick their voice from it); English texts inside say lang="en".
document.documentElement.lang = uiLanguage();
render(<App firstState={firstState} />, document.getElementById('app')!);
