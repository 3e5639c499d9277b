/**
 * Chrome's service worker has no URL.createObjectURL, and a data URL must never be downloaded (the
 * profile's History would keep part of the file), so exports are turned into blob URLs by an
 * offscreen document. Both ends speak over a
 * same-origin BroadcastChannel (structured clone, no runtime-message size limit).
 */
export const BLOB_CHANNEL = 'keyatlas-blob-urls';

export type BlobChannelMessage =
  | { type: 'mint'; id: string; text: string; mime: string }
  | { type: 'minted'; id: string; url: string }
  | { type: 'revoke'; url: string };
