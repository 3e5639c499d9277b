import '../../ext/zod-jitless';
import { render } from 'preact';
import { OptionsApp } from './App';
import './style.css';

render(<OptionsApp />, document.getElementById('app')!);
