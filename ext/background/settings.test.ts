import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { localSettingsItem } from '../managed';
import { REFRESH_ALARM } from './alarms';
import { loadApp, stubBrowserApis } from '../../test/support/background';

beforeEach(() => {
  fakeBrowser.reset();
  stubBrowserApis();
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('local settings (options page "Settings")', () => {
  it('a new refresh period is stored and the alarm follows it at once; the default key mode reaches the popup', async () => {
    const { app, ask } = await loadApp();
    await app.start();
    expect(await fakeBrowser.alarms.get(REFRESH_ALARM)).toMatchObject({ periodInMinutes: 360 });
    expect(await ask('settings:set', { refreshPeriodMinutes: 60 })).toEqual({ ok: true });
    expect(await fakeBrowser.alarms.get(REFRESH_ALARM)).toMatchObject({ periodInMinutes: 60 });
    expect(await ask('settings:set', { defaultKeyMode: 'omit' })).toEqual({ ok: true });
    expect(await localSettingsItem.getValue()).toEqual({ refreshPeriodMinutes: 60, defaultKeyMode: 'omit' });
    expect((await ask('state:get')).defaultKeyMode).toBe('omit');
    expect(await ask('settings:get')).toEqual({
      settings: { refreshPeriodMinutes: 60, notificationThresholds: [30, 7, 1], defaultKeyMode: 'omit', requirePassphrase: false, maxKeyAgeDays: 0 },
      managed: [],
      problems: [],
    });
  });

  it('a period outside what a policy may set either is refused and changes nothing', async () => {
    const { ask } = await loadApp();
    const reply = await ask('settings:set', { refreshPeriodMinutes: 1 });
    expect(reply).toMatchObject({ ok: false, problems: [{ path: 'refreshPeriodMinutes', message: expect.stringContaining('15') }] });
    expect(await localSettingsItem.getValue()).toEqual({});
  });

  it('a setting the organisation fixes cannot be changed locally; the others can, and the policy’s problems are reported', async () => {
    await fakeBrowser.storage.managed.set({ refreshPeriodMinutes: 120, defaultKeyMode: 'sideways' });
    const { ask } = await loadApp();
    expect(await ask('settings:set', { refreshPeriodMinutes: 30 })).toMatchObject({ ok: false, error: expect.stringContaining("organisation's policy") });
    expect(await localSettingsItem.getValue()).toEqual({});
    expect(await ask('settings:set', { defaultKeyMode: 'full' })).toEqual({ ok: true });
    const { settings, managed, problems } = await ask('settings:get');
    expect(settings).toMatchObject({ refreshPeriodMinutes: 120, defaultKeyMode: 'full' });
    expect(managed).toEqual(['refreshPeriodMinutes']);
    expect(problems).toEqual([{ path: 'defaultKeyMode', message: expect.any(String) }]);
  });
});
