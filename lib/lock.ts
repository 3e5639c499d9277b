import { z } from 'zod';

/**
 * Passphrase lock (docs/contract.md#storage): PBKDF2-SHA-256 → AES-GCM 256 over a JSON value (the instances'
 * secrets). Pure WebCrypto, so it runs in Node, the service worker and the Firefox event page.
 */

/** OWASP's 2023 floor for PBKDF2-HMAC-SHA256; tests pass fewer through the parameters, never through this. */
export const DEFAULT_ITERATIONS = 600_000;

export const WRONG_PASSPHRASE = 'Wrong passphrase';

// Binds ciphertexts to their purpose and format: a box made for something else never opens as
// secrets, and a v1 box (secrets by name only) never opens as a v2 one (each secret bound to its instance).
const additionalData = (v: 1 | 2) => new TextEncoder().encode(`keyatlas-secrets-v${v}`);

const hexSchema = z.string().regex(/^(?:[0-9a-f]{2})+$/, 'must be lower-case hex');

export const sealedBoxSchema = z
  .object({
    v: z.union([z.literal(1), z.literal(2)]),
    iterations: z.number().int().min(1),
    salt: hexSchema,
    iv: hexSchema,
    data: hexSchema,
  })
  .strict();
export type SealedBox = z.infer<typeof sealedBoxSchema>;

/** An unlocked key with what is needed to seal again so the passphrase keeps opening the box. */
export interface LockKey {
  key: CryptoKey;
  salt: Uint8Array<ArrayBuffer>;
  iterations: number;
}

/** A LockKey in a form storage can hold (storage.session only: it is the unlocked key). */
export const storedLockKeySchema = z
  .object({
    jwk: z.looseObject({ kty: z.literal('oct'), k: z.string() }),
    salt: hexSchema,
    iterations: z.number().int().min(1),
  })
  .strict();
export type StoredLockKey = z.infer<typeof storedLockKeySchema>;

export class WrongPassphraseError extends Error {
  constructor() {
    super(WRONG_PASSPHRASE);
    this.name = 'WrongPassphraseError';
  }
}

export async function deriveKey(passphrase: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase), 'PBKDF2', false, ['deriveKey']);
  // Extractable so the unlocked key can sit in storage.session across worker restarts.
  return crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, material, { name: 'AES-GCM', length: 256 }, true, [
    'encrypt',
    'decrypt',
  ]);
}

/** A fresh key from a new random salt: setting or changing the passphrase. */
export async function newLockKey(passphrase: string, iterations = DEFAULT_ITERATIONS): Promise<LockKey> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  return { key: await deriveKey(passphrase, salt, iterations), salt, iterations };
}

/** Encrypts `value` as JSON with a new random IV each time, always in the current format (v2). */
export async function seal(lock: LockKey, value: unknown): Promise<SealedBox> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: additionalData(2) },
    lock.key,
    new TextEncoder().encode(JSON.stringify(value)),
  );
  return { v: 2, iterations: lock.iterations, salt: toHex(lock.salt), iv: toHex(iv), data: toHex(new Uint8Array(data)) };
}

/** Decrypts with an already derived key; a key that does not fit the box is a WrongPassphraseError. */
export async function open(box: SealedBox, key: CryptoKey): Promise<unknown> {
  let plain: ArrayBuffer;
  try {
    plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromHex(box.iv), additionalData: additionalData(box.v) }, key, fromHex(box.data));
  } catch {
    // AES-GCM cannot tell a wrong key from a tampered box; both mean the passphrase does not open it.
    throw new WrongPassphraseError();
  }
  return JSON.parse(new TextDecoder().decode(plain)) as unknown;
}

/** Derives the key from the passphrase with the box's own salt and iterations, then opens the box. */
export async function unlock(box: SealedBox, passphrase: string): Promise<{ lock: LockKey; value: unknown }> {
  const salt = fromHex(box.salt);
  const key = await deriveKey(passphrase, salt, box.iterations);
  return { lock: { key, salt, iterations: box.iterations }, value: await open(box, key) };
}

export async function exportLockKey(lock: LockKey): Promise<StoredLockKey> {
  const jwk = await crypto.subtle.exportKey('jwk', lock.key);
  return storedLockKeySchema.parse({ jwk, salt: toHex(lock.salt), iterations: lock.iterations });
}

export async function importLockKey(stored: StoredLockKey): Promise<LockKey> {
  const key = await crypto.subtle.importKey('jwk', stored.jwk as JsonWebKey, { name: 'AES-GCM' }, true, ['encrypt', 'decrypt']);
  return { key, salt: fromHex(stored.salt), iterations: stored.iterations };
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function fromHex(hex: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(hex.match(/../g) ?? [], (pair) => parseInt(pair, 16));
}
