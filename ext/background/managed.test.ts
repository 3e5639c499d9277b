import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { localSettingsItem, readSettings } from '../managed';
import { REFRESH_ALARM } from './alarms';
import { loadApp, stubBrowserApis } from '../../test/support/background';

/** An organisation's policy as Chrome hands it to storage.managed (docs/policies/ has the same). */
const POLICY = {
  instances: [
    { name: 'core-prod', vendor: 'metadefender-core', url: 'https://core.corp.example:8008' },
    { name: 'mdss', vendor: 'metadefender-storage', url: 'https://mdss.corp.example', username: 'svc-keyatlas' },
  ],
  refreshPeriodMinutes: 120,
  defaultKeyMode: 'omit',
};

beforeEach(async () => {
  fakeBrowser.reset();
  stubBrowserApis();
  await fakeBrowser.storage.managed.set(POLICY);
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('managed configuration (storage.managed)', () => {
  it('lists the policy instances as managed, waiting for their credential, beside the user’s own', async () => {
    const { ask } = await loadApp();
    await ask('instances:save', { instance: { name: 'mine', vendor: 'metadefender-cloud', apiKey: 'CLOUD-KEY-0123456789' } });
    expect(await ask('instances:list')).toEqual([
      { ...POLICY.instances[0], has: { apiKey: false, password: false }, managed: true },
      { ...POLICY.instances[1], has: { apiKey: false, password: false }, managed: true },
      { name: 'mine', vendor: 'metadefender-cloud', has: { apiKey: true, password: false } },
    ]);
    const state = await ask('state:get');
    expect(state.instances.map((inst) => [inst.name, inst.managed ?? false])).toEqual([
      ['core-prod', true],
      ['mdss', true],
      ['mine', false],
    ]);
    expect(state.defaultKeyMode).toBe('omit');
  });

  it('the admin adds only the credential: a changed URL is not taken, so the key goes only where the policy says', async () => {
    const { ask } = await loadApp();
    const saved = await ask('instances:save', {
      originalName: 'core-prod',
      instance: { name: 'core-prod', vendor: 'metadefender-core', url: 'https://attacker.example', apiKey: 'CORE-KEY-0123456789' },
    });
    expect(saved).toEqual({ ok: true });
    expect((await ask('instances:list'))[0]).toEqual({ ...POLICY.instances[0], has: { apiKey: true, password: false }, managed: true });

    // An imported config naming the same instance cannot redirect it either.
    const imported = await ask('config:import', {
      json: JSON.stringify({ instances: [{ name: 'core-prod', vendor: 'metadefender-core', url: 'https://attacker.example', apiKey: 'OTHER-KEY-0123456789' }] }),
    });
    expect(imported).toMatchObject({ ok: true });
    expect((await ask('instances:list'))[0]).toMatchObject({ url: 'https://core.corp.example:8008', managed: true });
    expect(JSON.stringify(await fakeBrowser.storage.local.get())).not.toContain('attacker.example');
  });

  it('an instance the user had before the policy named it keeps the user’s credential only where it was saved for the same origin', async () => {
    await fakeBrowser.storage.managed.clear();
    const before = await loadApp();
    await before.ask('instances:save', { instance: { name: 'core-prod', vendor: 'metadefender-core', url: 'https://core.corp.example:8008', apiKey: 'CORE-KEY-0123456789' } });
    await before.ask('instances:save', { instance: { name: 'mdss', vendor: 'metadefender-storage', url: 'https://old-mdss.example', username: 'svc-keyatlas', password: 'MDSS-PASSWORD-0123' } });
    await fakeBrowser.storage.managed.set(POLICY);
    const { ask } = await loadApp();
    expect(await ask('instances:list')).toEqual([
      { ...POLICY.instances[0], has: { apiKey: true, password: false }, managed: true },
      // Saved for another host: the policy's instance does not inherit it (ext/background/trust-boundaries-third.test.ts).
      { ...POLICY.instances[1], has: { apiKey: false, password: false }, managed: true },
    ]);
  });

  it('a managed instance cannot be removed', async () => {
    const { ask } = await loadApp();
    // The options form sends the instance's fields as shown, with the credential the admin typed.
    const instance = { ...POLICY.instances[0]!, apiKey: 'CORE-KEY-0123456789' };
    expect(await ask('instances:save', { originalName: 'core-prod', instance })).toEqual({ ok: true });
    expect(await ask('instances:remove', { name: 'core-prod' })).toEqual({ ok: false, error: "core-prod is set by your organisation's policy and cannot be removed." });
    expect((await ask('instances:list')).map((inst) => inst.name)).toEqual(['core-prod', 'mdss']);
  });

  it('the refresh alarm follows the policy period, which a local setting cannot override', async () => {
    await localSettingsItem.setValue({ refreshPeriodMinutes: 30, notificationThresholds: [10] });
    const { app } = await loadApp();
    await app.start();
    expect(await fakeBrowser.alarms.get(REFRESH_ALARM)).toMatchObject({ periodInMinutes: 120 });
    expect(await readSettings()).toEqual({
      settings: { refreshPeriodMinutes: 120, notificationThresholds: [10], defaultKeyMode: 'omit', requirePassphrase: false, maxKeyAgeDays: 0 },
      managed: ['refreshPeriodMinutes', 'defaultKeyMode'],
      problems: [],
    });
  });

  it('"require a passphrase": no credential is stored unsealed, and the passphrase cannot be removed', async () => {
    await fakeBrowser.storage.managed.set({ requirePassphrase: true });
    const { ask } = await loadApp();
    const cloud = { name: 'cloud', vendor: 'metadefender-cloud', apiKey: 'CLOUD-KEY-0123456789' };
    expect(await ask('instances:save', { instance: cloud })).toMatchObject({ ok: false, error: expect.stringContaining('requires a passphrase') });
    expect(JSON.stringify(await fakeBrowser.storage.local.get())).not.toContain('CLOUD-KEY');

    const passphrase = 'correct horse battery staple';
    expect(await ask('lock:set', { passphrase })).toEqual({ ok: true });
    expect(await ask('instances:save', { instance: cloud })).toEqual({ ok: true });
    expect(JSON.stringify(await fakeBrowser.storage.local.get())).not.toContain('CLOUD-KEY');
    expect(await ask('lock:remove', { passphrase })).toMatchObject({ ok: false, error: expect.stringContaining('not removed') });
  });

  it('without a policy (Firefox throws, Chrome answers {}) everything is the user’s', async () => {
    vi.spyOn(fakeBrowser.storage.managed, 'get').mockRejectedValue(new Error('Managed storage manifest not found'));
    const { app, ask } = await loadApp();
    await app.start();
    expect(await fakeBrowser.alarms.get(REFRESH_ALARM)).toMatchObject({ periodInMinutes: 360 });
    await ask('instances:save', { instance: { name: 'cloud', vendor: 'metadefender-cloud', apiKey: 'CLOUD-KEY-0123456789' } });
    expect(await ask('instances:remove', { name: 'cloud' })).toEqual({ ok: true });
  });
});
