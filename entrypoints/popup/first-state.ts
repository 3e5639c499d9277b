import { sendMessage } from '../../ext/messaging';
import type { PopupState } from '../../lib/messages';

/**
 * The popup's first `state:get`, sent while the rest of its code is still being loaded: main.tsx
 * imports this module before Preact and the components, so the background counts the keys while
 * they are evaluated and the first render waits on one round trip less.
 */
export const firstState: Promise<PopupState> = sendMessage('state:get');
// App awaits it and shows a failure; it is never an unhandled rejection meanwhile.
firstState.catch(() => undefined);
