import { describe, expect, it } from 'vitest';
import { CORE_ADMIN_KEY } from '../../test/mock-vendors/metadefender-core';
import { VAULT_ADMIN_KEY } from '../../test/mock-vendors/metadefender-vault';
import { loadApp, useMockConsoles } from '../../test/support/background';

const mocks = useMockConsoles();
const fastHttp = { http: { maxTries: 1, timeoutMs: 5_000 } };

// docs/contract.md#outcomes: the cached result carries warnings and the incomplete kind from the engine to the popup.
describe('refresh: warnings and incomplete reach the popup state', () => {
  it('a failing directory call is a warning on an ok row; a short Vault list is an incomplete failure', async () => {
    mocks.core.fault({ kind: 'status', status: 500, json: { err: 'Failed to query user directories' } }, { path: /^\/admin\/userdirectory$/ });
    mocks.vault.fault({ kind: 'status', status: 200, json: { filter_count: 99, total_count: 99, items: [] } });
    const { ask } = await loadApp({ inventory: fastHttp });
    await ask('instances:save', { instance: { name: 'core-prod', vendor: 'metadefender-core', url: mocks.core.url, apiKey: CORE_ADMIN_KEY } });
    await ask('instances:save', { instance: { name: 'vault', vendor: 'metadefender-vault', url: mocks.vault.url, apiKey: VAULT_ADMIN_KEY, username: 'alice' } });
    await ask('refresh', {});
    const { instances } = await ask('state:get');
    const core = instances.find((i) => i.name === 'core-prod')!;
    expect(core).toMatchObject({ ok: true, buckets: { total: 6 } });
    expect(core.warnings).toEqual([expect.stringMatching(/^core-prod \(metadefender-core\): directory names are unavailable/)]);
    expect(core.errorKind).toBeUndefined();
    const vault = instances.find((i) => i.name === 'vault')!;
    expect(vault).toMatchObject({ ok: false, errorKind: 'incomplete' });
    expect(vault.error).toContain('the server announced 99 keys but delivered 0');
  });
});
