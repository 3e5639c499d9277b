import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { VAULT_ADMIN_KEY } from '../../test/mock-vendors/metadefender-vault';
import { AUTO_LOCK_ALARM } from './auto-lock';
import { lockedText } from './instance-store';
import { loadApp, senders, useMockConsoles } from '../../test/support/background';

const mocks = useMockConsoles();
const PASSPHRASE = 'correct horse battery';
const MINUTE = 60_000;

beforeEach(() => {
  // Only the clock: the mock servers' sockets keep real timers.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-03-02T09:00:00Z'));
});

afterEach(() => {
  vi.useRealTimers();
});

/** An app with one instance under a passphrase, unlocked, and the given idle time chosen. */
async function unlockedApp(minutes: 0 | 15 | 60 | 240) {
  const loaded = await loadApp({ inventory: { http: { maxTries: 1, timeoutMs: 5_000 } } });
  await loaded.ask('instances:save', { instance: { name: 'vault', vendor: 'metadefender-vault', url: mocks.vault.url, apiKey: VAULT_ADMIN_KEY, username: 'alice' } });
  expect(await loaded.ask('lock:set', { passphrase: PASSPHRASE })).toEqual({ ok: true });
  expect(await loaded.ask('autoLock:set', { minutes })).toEqual({ ok: true });
  return loaded;
}

const idle = (minutes: number) => vi.advanceTimersByTime(minutes * MINUTE);

describe('idle auto-lock (docs/contract.md#secrets-at-rest)', () => {
  it('is off by default: hours without use leave the store unlocked and no alarm wakes the worker', async () => {
    const { app, ask } = await loadApp();
    expect(await ask('autoLock:get')).toEqual({ minutes: 0 });
    const { ask: askUnlocked } = await unlockedApp(0);
    idle(24 * 60);
    await app.autoLock.check();
    expect(await askUnlocked('state:get')).toMatchObject({ locked: false });
    expect(await fakeBrowser.alarms.get(AUTO_LOCK_ALARM)).toBeUndefined();
  });

  it('locks after the chosen idle time; the passphrase is then needed before any credential is used again', async () => {
    const { app, ask } = await unlockedApp(15);
    expect(await ask('autoLock:get')).toEqual({ minutes: 15 });
    expect(await fakeBrowser.alarms.get(AUTO_LOCK_ALARM)).toMatchObject({ periodInMinutes: 1 });

    idle(14);
    await app.autoLock.check();
    expect(await ask('state:get')).toMatchObject({ locked: false });
    // That popup message was activity: the idle time starts again from it.
    idle(14);
    await app.autoLock.check();
    // A click on the console button counts too.
    expect(await app.route('console:export', undefined, senders.content(`${mocks.vault.url}/#/apikeys`))).toMatchObject({ ok: true });
    idle(14);
    await app.autoLock.check();
    expect(await fakeBrowser.storage.session.get('unlockedKey')).not.toEqual({});

    idle(15);
    await app.autoLock.check();
    expect(await fakeBrowser.storage.session.get('unlockedKey')).toEqual({});
    const requestsBefore = mocks.vault.requests.length;
    expect(await ask('instances:test', { name: 'vault' })).toEqual({ ok: false, error: lockedText() });
    expect(mocks.vault.requests.length).toBe(requestsBefore);
    expect(await ask('state:get')).toMatchObject({ locked: true, hasPassphrase: true });
    expect(await ask('lock:unlock', { passphrase: PASSPHRASE })).toEqual({ ok: true });
    expect(await ask('instances:test', { name: 'vault' })).toMatchObject({ ok: true });
  });

  it('a console tab that reloads itself (console:info on every load) does not keep the lock open', async () => {
    const { app } = await unlockedApp(15);
    const page = `${mocks.vault.url}/#/settings/security/api-keys`;
    idle(10);
    expect(await app.route('console:info', undefined, senders.content(page))).toMatchObject({ instance: 'vault' });
    await app.autoLock.check();
    expect(await fakeBrowser.storage.session.get('unlockedKey')).not.toEqual({});
    // The next reload, 10 minutes later: 20 minutes since the user last did anything.
    idle(10);
    await app.route('console:info', undefined, senders.content(page));
    await app.autoLock.check();
    expect(await fakeBrowser.storage.session.get('unlockedKey')).toEqual({});
    expect(await app.route('console:info', undefined, senders.content(page))).toMatchObject({ instance: null, note: lockedText() });
  });

  it('a restarted worker keeps the choice and the last activity, and still locks on time', async () => {
    await unlockedApp(60);
    idle(50);
    const restarted = await loadApp();
    await restarted.app.start();
    expect(await fakeBrowser.alarms.get(AUTO_LOCK_ALARM)).toMatchObject({ periodInMinutes: 1 });
    idle(10);
    await restarted.app.autoLock.check();
    expect(await fakeBrowser.storage.session.get('unlockedKey')).toEqual({});
  });

  it('turning it off clears the alarm; only the offered idle times are accepted', async () => {
    const { ask } = await unlockedApp(240);
    expect(await ask('autoLock:set', { minutes: 0 })).toEqual({ ok: true });
    expect(await fakeBrowser.alarms.get(AUTO_LOCK_ALARM)).toBeUndefined();
    await expect(ask('autoLock:set', { minutes: 1 } as never)).rejects.toThrow(/invalid request/);
    expect(await ask('autoLock:get')).toEqual({ minutes: 0 });
  });
});
