import { Window } from 'happy-dom';
import { englishI18n } from '../test/i18n-messages';

// Imported before preact: preact/hooks decides at load time whether requestAnimationFrame exists,
// and without it waits a fixed 35 ms before running effects, which no browser does.
const window = new Window({ url: 'chrome-extension://keyatlas-bench/popup.html' });
const globals = globalThis as Record<string, unknown>;
for (const name of ['window', 'document', 'navigator', 'Node', 'Element', 'HTMLElement', 'Event', 'MutationObserver', 'requestAnimationFrame', 'cancelAnimationFrame'] as const) {
  const value = (window as unknown as Record<string, unknown>)[name];
  globals[name] = typeof value === 'function' && /^[a-z]/.test(name) ? value.bind(window) : value;
}

// wxt/browser resolves to globalThis.chrome outside an extension: the popup's t() reads the English locale.
globals.chrome = { runtime: { id: 'keyatlas-bench' }, i18n: englishI18n };
