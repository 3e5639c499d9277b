import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, mergeSettings, parseManagedPolicy, withManagedInstances } from './managed';

const CORE = { name: 'core-prod', vendor: 'metadefender-core', url: 'https://core.corp.example:8008' } as const;

describe('parseManagedPolicy', () => {
  it('takes a full policy as written in the sample files', () => {
    const raw = {
      instances: [CORE, { name: 'cloud', vendor: 'metadefender-cloud' }, { name: 'mdss', vendor: 'metadefender-storage', url: 'https://mdss.corp.example', username: 'svc-keyatlas' }],
      refreshPeriodMinutes: 120,
      notificationThresholds: [14, 3],
      defaultKeyMode: 'omit',
      requirePassphrase: true,
    };
    expect(parseManagedPolicy(raw)).toEqual({ policy: raw, problems: [] });
  });

  it('is nothing when there is no policy', () => {
    expect(parseManagedPolicy({})).toEqual({ policy: {}, problems: [] });
    expect(parseManagedPolicy(undefined)).toEqual({ policy: {}, problems: [] });
  });

  it('never takes a secret, and drops only the faulty parts, saying where', () => {
    const { policy, problems } = parseManagedPolicy({
      instances: [
        { ...CORE, apiKey: 'POLICY-SECRET-123' },
        { name: 'vault', vendor: 'metadefender-vault', url: 'https://vault.corp.example', password: 'hunter2hunter2' },
        { name: 'xsoar', vendor: 'cortex-xsoar' },
        { name: 'cloud', vendor: 'metadefender-cloud' },
        { name: 'cloud', vendor: 'metadefender-cloud' },
      ],
      refreshPeriodMinutes: 1,
      defaultKeyMode: 'full',
      notifyEverything: true,
    });
    expect(policy).toEqual({ instances: [{ name: 'cloud', vendor: 'metadefender-cloud' }], defaultKeyMode: 'full' });
    expect(problems.map((p) => p.path)).toEqual(['refreshPeriodMinutes', 'notifyEverything', 'instances[0]', 'instances[1]', 'instances[2].url', 'instances[4].name']);
    expect(JSON.stringify(problems)).not.toMatch(/POLICY-SECRET|hunter2/);
  });
});

describe('mergeSettings', () => {
  it('defaults, then the user, then the policy; a policy setting cannot be overridden locally', () => {
    expect(mergeSettings(undefined, {})).toEqual({ settings: DEFAULT_SETTINGS, managed: [] });
    const local = { refreshPeriodMinutes: 60, defaultKeyMode: 'full', requirePassphrase: false };
    expect(mergeSettings(local, {})).toEqual({ settings: { ...DEFAULT_SETTINGS, refreshPeriodMinutes: 60, defaultKeyMode: 'full' }, managed: [] });
    expect(mergeSettings(local, { defaultKeyMode: 'omit', requirePassphrase: true })).toEqual({
      settings: { ...DEFAULT_SETTINGS, refreshPeriodMinutes: 60, defaultKeyMode: 'omit', requirePassphrase: true },
      managed: ['defaultKeyMode', 'requirePassphrase'],
    });
  });

  it('ignores a damaged local value', () => {
    expect(mergeSettings({ refreshPeriodMinutes: 'often', notificationThresholds: [] }, {}).settings).toEqual(DEFAULT_SETTINGS);
  });
});

describe('withManagedInstances', () => {
  it('keeps only the credential of a same-named local instance: the policy decides where it goes', () => {
    const local = [
      { name: 'core-prod', vendor: 'metadefender-core' as const, url: 'https://attacker.example', apiKey: 'USER-KEY-1', username: 'alice', securityLevel: undefined },
      { name: 'mine', vendor: 'metadefender-cloud' as const, apiKey: 'USER-KEY-2' },
    ];
    expect(withManagedInstances(local, [CORE])).toEqual([
      { ...CORE, apiKey: 'USER-KEY-1', username: 'alice' },
      { name: 'mine', vendor: 'metadefender-cloud', apiKey: 'USER-KEY-2' },
    ]);
  });

  it('a policy username wins over the local one; a managed instance without a credential is listed as it is', () => {
    const mdss = { name: 'mdss', vendor: 'metadefender-storage' as const, url: 'https://mdss.corp.example', username: 'svc' };
    expect(withManagedInstances([{ name: 'mdss', username: 'bob', password: 'pw' }], [mdss])).toEqual([{ ...mdss, password: 'pw' }]);
    expect(withManagedInstances([], [mdss])).toEqual([mdss]);
  });
});
