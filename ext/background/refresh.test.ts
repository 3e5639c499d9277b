import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CORE_ADMIN_KEY, CORE_USERS } from '../../test/mock-vendors/metadefender-core';
import { VAULT_ADMIN_KEY, vaultDemoTokens, type VaultToken } from '../../test/mock-vendors/metadefender-vault';
import { startMock } from '../../test/mock-vendors/server';
import { BADGE_COLOR } from './badge';
import { loadApp, useMockConsoles } from '../../test/support/background';

const NOW = new Date();
const DAY = 86_400_000;
const fastHttp = { http: { maxTries: 1, timeoutMs: 5_000 } };

const mocks = useMockConsoles(NOW);

const vaultInstance = (name = 'vault', url = mocks.vault.url, apiKey = VAULT_ADMIN_KEY) => ({ name, vendor: 'metadefender-vault', url, apiKey, username: 'alice' });
const coreInstance = () => ({ name: 'core-prod', vendor: 'metadefender-core', url: mocks.core.url, apiKey: CORE_ADMIN_KEY });

/** Keys needing attention in the mock's own data: expired (by date or by the vendor) or ≤ 7 days left. */
function attention(tokens: VaultToken[]): number {
  return tokens.filter((t) => t.status === 'expired' || (t.expires !== undefined && Math.floor((Date.parse(t.expires) - NOW.getTime()) / DAY) <= 7)).length;
}

/** Every value `session:refreshing` takes, in order. */
function watchRefreshing(): unknown[] {
  const seen: unknown[] = [];
  fakeBrowser.storage.session.onChanged.addListener((changes: Record<string, { newValue?: unknown }>) => {
    if ('refreshing' in changes) seen.push(changes.refreshing!.newValue ?? null);
  });
  return seen;
}

describe('refresh', () => {
  it('reads every instance over HTTP into the cache, with progress, and sets the badge', async () => {
    const { ask } = await loadApp({ inventory: { ...fastHttp, now: NOW } });
    await ask('instances:save', { instance: vaultInstance() });
    await ask('instances:save', { instance: coreInstance() });
    const progress = watchRefreshing();

    expect(await ask('refresh', {})).toEqual({ ok: true });

    expect(mocks.vault.requests.length).toBeGreaterThan(0);
    expect(mocks.core.requests.length).toBeGreaterThan(0);
    const state = await ask('state:get');
    const tokens = vaultDemoTokens(NOW);
    const coreKeys = CORE_USERS.filter((u) => u.api_key || u.apikey).length;
    expect(state.instances.map((i) => [i.name, i.ok, i.buckets.total, i.credential])).toEqual([
      ['vault', true, tokens.length, 'apiKey'],
      ['core-prod', true, coreKeys, 'apiKey'],
    ]);
    expect(state.instances.every((i) => i.lastRefresh && Date.parse(i.lastRefresh) >= NOW.getTime())).toBe(true);
    expect(state.totals.total).toBe(tokens.length + coreKeys);
    expect(state.keys.matched).toBe(tokens.length + coreKeys);
    expect(state.keys.rows).toHaveLength(tokens.length + coreKeys);
    expect(state.refreshing).toBeNull();

    // Progress per instance while it ran, then cleared.
    expect(progress[0]).toEqual({ done: 0, total: 2, remaining: ['vault', 'core-prod'] });
    expect(progress.slice(1, 3).map((p) => (p as { done: number }).done)).toEqual([1, 2]);
    expect(progress.at(-1)).toBeNull();

    // The cache holds metadata only: no key value of any vendor.
    const stored = await fakeBrowser.storage.local.get(null);
    const local = JSON.stringify(Object.entries(stored).filter(([key]) => key.startsWith('cache')));
    expect(local).toContain(tokens[2]!.description);
    for (const t of tokens) expect(local).not.toContain(t.token);
    for (const u of CORE_USERS) if (u.api_key) expect(local).not.toContain(String(u.api_key));

    // Core keys never expire (docs/contract.md#field-mapping), so the badge counts the Vault's expired and ≤7-day keys.
    expect(await fakeBrowser.action.getBadgeText({})).toBe(String(attention(tokens)));
    expect(state.totals.expired + state.totals.within7).toBe(attention(tokens));
    expect(await fakeBrowser.action.getBadgeBackgroundColor({})).toEqual([0xd9, 0x30, 0x25, 255]);
    expect(BADGE_COLOR).toBe('#D93025');
  });

  it('keeps going when one instance fails, and records its error', async () => {
    const { ask } = await loadApp({ inventory: fastHttp });
    await ask('instances:save', { instance: vaultInstance('vault-bad', mocks.vault.url, 'WRONG-VAULT-KEY-000000') });
    await ask('instances:save', { instance: coreInstance() });
    await ask('refresh', {});
    const state = await ask('state:get');
    const bad = state.instances.find((i) => i.name === 'vault-bad')!;
    expect(bad.ok).toBe(false);
    expect(bad.error).toContain('API key is incorrect');
    expect(bad.error).not.toContain('WRONG-VAULT-KEY-000000');
    expect(state.instances.find((i) => i.name === 'core-prod')!.ok).toBe(true);
  });

  it('refreshes one named instance only, and says so for an unknown one', async () => {
    const { ask } = await loadApp({ inventory: fastHttp });
    await ask('instances:save', { instance: vaultInstance() });
    await ask('instances:save', { instance: coreInstance() });
    expect(await ask('refresh', { instance: 'core-prod' })).toEqual({ ok: true });
    expect(mocks.vault.requests).toHaveLength(0);
    expect((await ask('state:get')).instances.map((i) => i.ok)).toEqual([null, true]);
    expect(await ask('refresh', { instance: 'nope' })).toEqual({ ok: false, error: 'There is no instance named "nope".' });
  });

  it('reads again when asked the moment the last run ended, instead of joining the finished run', async () => {
    const { app, ask } = await loadApp({ inventory: fastHttp });
    await ask('instances:save', { instance: coreInstance() });
    await app.refresher.refresh();
    const before = mocks.core.requests.length;
    await app.refresher.refresh();
    expect(mocks.core.requests.length).toBeGreaterThan(before);
  });

  it('badge: empty when nothing needs attention, and follows removals', async () => {
    const { ask } = await loadApp({ inventory: fastHttp });
    await ask('instances:save', { instance: vaultInstance() });
    await ask('instances:save', { instance: coreInstance() });
    await ask('refresh', {});
    expect(await fakeBrowser.action.getBadgeText({})).not.toBe('');
    await ask('instances:remove', { name: 'vault' });
    expect(await fakeBrowser.action.getBadgeText({})).toBe('');
    expect((await ask('state:get')).keys.rows.every((k) => k.instance === 'core-prod')).toBe(true);
    expect(Object.keys(await fakeBrowser.storage.local.get(null)).filter((key) => key.startsWith('cache:'))).toEqual(['cache:core-prod']);
  });
});

describe('a run that ends early', () => {
  it('writes no cache entry for an instance removed or renamed while it was being read', async () => {
    let arrived!: () => void;
    const bothArrived = new Promise<void>((resolve) => (arrived = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let waiting = 0;
    const items = vaultDemoTokens(NOW).slice(0, 2);
    const slow = await startMock('metadefender-vault', async (req) => {
      if (!req.path.startsWith('/vault_rest/tokens/')) return undefined;
      if (++waiting === 2) arrived();
      await released;
      const [start = 0, count = 0] = req.path.split('/').slice(3).map(Number);
      return { json: { filter_count: items.length, items: items.slice(start, start + count), total_count: items.length } };
    });
    try {
      const { ask } = await loadApp({ inventory: fastHttp });
      await ask('instances:save', { instance: coreInstance() });
      await ask('instances:save', { instance: vaultInstance('gone', slow.url) });
      await ask('instances:save', { instance: vaultInstance('moved', slow.url) });
      const run = ask('refresh', {});
      await bothArrived;
      expect(await ask('instances:remove', { name: 'gone' })).toEqual({ ok: true });
      expect(await ask('instances:save', { instance: vaultInstance('renamed', slow.url), originalName: 'moved' })).toEqual({ ok: true });
      release();
      expect(await run).toEqual({ ok: true });

      const cache = await (await import('../storage')).readCache();
      expect(Object.keys(cache.statuses)).toEqual(['core-prod']);
      expect(new Set(cache.keys.map((k) => k.instance))).toEqual(new Set(['core-prod']));
    } finally {
      release();
      await slow.close();
    }
  });

  it('clears the checkpoint when a run throws, so the popup does not show it refreshing forever', async () => {
    const { ask } = await loadApp({ inventory: fastHttp });
    await ask('instances:save', { instance: coreInstance() });
    // Chrome's answer when storage.local is full: the cache write of the read fails.
    vi.spyOn(fakeBrowser.storage.local, 'set').mockRejectedValueOnce(new Error('Resource::kQuotaBytes quota exceeded'));
    expect(await ask('refresh', {})).toEqual({ ok: false, error: 'Resource::kQuotaBytes quota exceeded' });
    expect((await ask('state:get')).refreshing).toBeNull();
    expect(await fakeBrowser.storage.session.get('refreshing')).toEqual({});
    expect(await ask('refresh', {})).toEqual({ ok: true });
  });

  it('answers a failing badge update with its error, without an unhandled rejection, and runs again', async () => {
    const { ask } = await loadApp({ inventory: fastHttp });
    await ask('instances:save', { instance: coreInstance() });
    vi.spyOn(fakeBrowser.action, 'setBadgeText').mockRejectedValueOnce(new Error('The badge could not be set'));
    // Vitest fails the run on an unhandled rejection, which the run's own bookkeeping used to raise here.
    expect(await ask('refresh', {})).toEqual({ ok: false, error: 'The badge could not be set' });
    expect((await ask('state:get')).refreshing).toBeNull();
    expect(await ask('refresh', {})).toEqual({ ok: true });
    expect((await ask('state:get')).instances.map((i) => i.ok)).toEqual([true]);
  });
});

describe('checkpoint', () => {
  it('a restarted worker reads only the instances the previous one did not finish', async () => {
    // The third instance answers its first request only when the test says so: the "old worker" stops there.
    let arrived!: () => void;
    const arrivedOnce = new Promise<void>((resolve) => (arrived = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let first = true;
    const items = vaultDemoTokens(NOW).slice(2, 5);
    const slow = await startMock('metadefender-vault', async (req) => {
      if (!req.path.startsWith('/vault_rest/tokens/')) return undefined;
      if (first) {
        first = false;
        arrived();
        await released;
      }
      const [start = 0, count = 0] = req.path.split('/').slice(3).map(Number);
      return { json: { filter_count: items.length, items: items.slice(start, start + count), total_count: items.length } };
    });
    try {
      const old = await loadApp({ inventory: fastHttp });
      await old.ask('instances:save', { instance: vaultInstance('a') });
      await old.ask('instances:save', { instance: coreInstance() });
      await old.ask('instances:save', { instance: vaultInstance('c', slow.url) });
      const checkpoints = watchRefreshing();
      const twoDone = new Promise<void>((resolve) =>
        fakeBrowser.storage.session.onChanged.addListener((changes) => {
          if ((changes.refreshing?.newValue as { done?: number } | undefined)?.done === 2) resolve();
        }),
      );
      const oldRun = old.ask('refresh', {});
      await Promise.all([twoDone, arrivedOnce]);
      expect(checkpoints.at(-1)).toEqual({ done: 2, total: 3, remaining: ['c'] });
      const before = { vault: mocks.vault.requests.length, core: mocks.core.requests.length, slow: slow.requests.length };

      // The worker dies here; a new one starts over the same storage.session.
      const restarted = await loadApp({ inventory: fastHttp });
      await restarted.app.start();

      expect(mocks.vault.requests.length).toBe(before.vault);
      expect(mocks.core.requests.length).toBe(before.core);
      expect(slow.requests.length).toBeGreaterThan(before.slow);
      const state = await restarted.ask('state:get');
      expect(state.refreshing).toBeNull();
      expect(state.instances.map((i) => [i.name, i.ok, i.buckets.total])).toEqual([
        ['a', true, vaultDemoTokens(NOW).length],
        ['core-prod', true, CORE_USERS.filter((u) => u.api_key || u.apikey).length],
        ['c', true, items.length],
      ]);

      release();
      await oldRun;
    } finally {
      release();
      await slow.close();
    }
  });

  it('drops a checkpoint it cannot resume because the lock is closed', async () => {
    const { ask } = await loadApp();
    await ask('instances:save', { instance: vaultInstance() });
    await ask('lock:set', { passphrase: 'correct horse battery' });
    await ask('lock:lock');
    await fakeBrowser.storage.session.set({ refreshing: { done: 0, total: 1, remaining: ['vault'] } });
    const restarted = await loadApp();
    await restarted.app.start();
    expect(mocks.vault.requests).toHaveLength(0);
    expect(await fakeBrowser.storage.session.get('refreshing')).toEqual({});
  });
});
