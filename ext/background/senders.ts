/** The parts of `runtime.MessageSender` that decide who is speaking. */
export interface SenderInfo {
  id?: string;
  url?: string;
  /** Absent before Firefox 126. */
  origin?: string;
  tab?: { id?: number; url?: string };
  frameId?: number;
}

export type SenderKind =
  | { kind: 'page' }
  | { kind: 'content' }
  | { kind: 'refused'; reason: string };

/**
 * Classifies a message sender once, before anything runs (docs/contract.md#messages, bitwarden's sender checks):
 * this extension's own pages, a content script in a tab's top frame, or nobody we serve.
 * `self.pagesUrl` is `runtime.getURL('/')`; extension origins are compared as strings because
 * `new URL('chrome-extension://…').origin` is "null" in some runtimes.
 */
export function classifySender(sender: SenderInfo, self: { id: string; pagesUrl: string }): SenderKind {
  if (!sender.id || sender.id !== self.id) return { kind: 'refused', reason: 'the sender is not this extension' };
  const pagesOrigin = self.pagesUrl.replace(/\/+$/, '');
  // An extension page may sit in a tab (the options page does), so its URL decides, not `tab`.
  if (sender.url?.startsWith(self.pagesUrl)) {
    if (sender.origin !== undefined && sender.origin !== pagesOrigin) return { kind: 'refused', reason: 'the sender origin does not match its URL' };
    return { kind: 'page' };
  }
  if (sender.tab) {
    if (sender.frameId !== 0) return { kind: 'refused', reason: 'messages from frames inside a page are not accepted' };
    // The console bridge maps the tab's origin to an instance and refuses unknown ones.
    return { kind: 'content' };
  }
  return { kind: 'refused', reason: 'the sender is neither an extension page nor a console page' };
}
