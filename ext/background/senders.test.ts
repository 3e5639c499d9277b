import { describe, expect, it } from 'vitest';
import { classifySender } from './senders';

const self = { id: 'abcdefghijklmnop', pagesUrl: 'chrome-extension://abcdefghijklmnop/' };
const page = 'chrome-extension://abcdefghijklmnop/popup.html';

describe('classifySender', () => {
  it.each([
    ['the popup', { id: self.id, url: page }, 'page'],
    ['the options page in a tab', { id: self.id, url: 'chrome-extension://abcdefghijklmnop/options.html', tab: { id: 4 }, frameId: 0 }, 'page'],
    ['the popup with a matching origin', { id: self.id, url: page, origin: 'chrome-extension://abcdefghijklmnop' }, 'page'],
    ['a content script in a top frame', { id: self.id, url: 'https://core.example:8008/#/user', tab: { id: 9, url: 'https://core.example:8008/#/user' }, frameId: 0 }, 'content'],
  ])('accepts %s', (_, sender, kind) => {
    expect(classifySender(sender, self).kind).toBe(kind);
  });

  it.each([
    ['another extension', { id: 'zzzzzzzzzzzzzzzz', url: page }],
    ['a sender without id (web page)', { url: 'https://evil.example/', tab: { id: 3, url: 'https://evil.example/' }, frameId: 0 }],
    ['a spoofed id from a web page', { id: 'zzzzzzzzzzzzzzzz', url: 'https://evil.example/', tab: { id: 3 }, frameId: 0 }],
    ['a content script in a sub-frame', { id: self.id, url: 'https://ads.example/', tab: { id: 9, url: 'https://core.example/' }, frameId: 3 }],
    ['an extension URL whose origin disagrees', { id: self.id, url: page, origin: 'https://evil.example' }],
    ['a look-alike extension URL prefix', { id: self.id, url: 'chrome-extension://abcdefghijklmnopq/popup.html' }],
    ['a sender neither page nor tab', { id: self.id, url: 'https://core.example/' }],
  ])('refuses %s', (_, sender) => {
    expect(classifySender(sender, self).kind).toBe('refused');
  });
});
