import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ITERATIONS,
  exportLockKey,
  importLockKey,
  newLockKey,
  open,
  seal,
  sealedBoxSchema,
  unlock,
  WRONG_PASSPHRASE,
  WrongPassphraseError,
} from './lock';

// Few iterations keep the tests fast; the production default has its own test below.
const FAST = 1_000;
const SECRETS = { 'core-prod': { apiKey: 'CORE-KEY-0123456789abcdef' }, mdss: { password: 'pässwörd with spaces' } };

describe('passphrase lock', () => {
  it('seals and unlocks with the passphrase, and the box holds no plaintext', async () => {
    const key = await newLockKey('correct horse battery staple', FAST);
    const box = await seal(key, SECRETS);
    expect(sealedBoxSchema.parse(box)).toEqual(box);
    expect(JSON.stringify(box)).not.toContain('CORE-KEY');
    expect(box.iterations).toBe(FAST);
    const { value, lock } = await unlock(box, 'correct horse battery staple');
    expect(value).toEqual(SECRETS);
    // The key derived again from the passphrase reseals boxes the same passphrase opens.
    expect(await open(await seal(lock, { again: true }), key.key)).toEqual({ again: true });
  });

  it('says "Wrong passphrase" for a wrong passphrase', async () => {
    const box = await seal(await newLockKey('correct horse battery staple', FAST), SECRETS);
    await expect(unlock(box, 'correct horse battery stapler')).rejects.toThrow(WrongPassphraseError);
    await expect(unlock(box, '')).rejects.toThrow(WRONG_PASSPHRASE);
  });

  it('refuses a tampered box', async () => {
    const box = await seal(await newLockKey('passphrase!', FAST), SECRETS);
    const flipped = box.data.slice(0, -2) + (box.data.endsWith('00') ? '01' : '00');
    await expect(unlock({ ...box, data: flipped }, 'passphrase!')).rejects.toThrow(WRONG_PASSPHRASE);
  });

  it('uses a fresh salt per key and a fresh IV per seal', async () => {
    const a = await newLockKey('same passphrase', FAST);
    const b = await newLockKey('same passphrase', FAST);
    const box1 = await seal(a, SECRETS);
    const box2 = await seal(a, SECRETS);
    expect(box1.salt).not.toBe((await seal(b, SECRETS)).salt);
    expect(box1.iv).not.toBe(box2.iv);
    expect(box1.data).not.toBe(box2.data);
  });

  it('round-trips the unlocked key through its stored (JWK) form', async () => {
    const key = await newLockKey('passphrase!', FAST);
    const stored = await exportLockKey(key);
    expect(JSON.stringify(stored)).not.toContain('passphrase!');
    const again = await importLockKey(JSON.parse(JSON.stringify(stored)) as typeof stored);
    expect(await open(await seal(key, SECRETS), again.key)).toEqual(SECRETS);
    expect(again.iterations).toBe(FAST);
  });

  it('derives with at least 600,000 PBKDF2 iterations by default', async () => {
    expect(DEFAULT_ITERATIONS).toBeGreaterThanOrEqual(600_000);
    const key = await newLockKey('default strength');
    const box = await seal(key, SECRETS);
    expect(box.iterations).toBe(DEFAULT_ITERATIONS);
    expect((await unlock(box, 'default strength')).value).toEqual(SECRETS);
  });
});
