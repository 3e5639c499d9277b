import { defineExtensionMessaging } from '@webext-core/messaging';
import type { ExtensionProtocol } from '../lib/messages';

/** One messenger for every context; the background validates each payload and sender before acting. */
export const { sendMessage, onMessage } = defineExtensionMessaging<ExtensionProtocol>();
