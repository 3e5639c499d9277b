import { render } from 'preact';

render(<p>KeyAtlas</p>, document.getElementById('app')!);
