import { createHash } from 'node:crypto';
import { resolveObjectURL } from 'node:buffer';
import Papa from 'papaparse';
import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CSV_COLUMNS } from '../../lib/csv';
import { CORE_ADMIN_KEY, CORE_USERS } from '../../test/mock-vendors/metadefender-core';
import { VAULT_ADMIN_KEY, vaultDemoTokens } from '../../test/mock-vendors/metadefender-vault';
import { canUseBlobUrls } from './downloads';
import { downloadedText, loadApp, PACKAGE_VERSION, useMockConsoles } from '../../test/support/background';
import type { Evidence } from '../../lib/evidence';
import { evidenceJsonSchema } from '../../scripts/evidence-schema';
import { validate } from '../../test/cli/json-schema-check';

const NOW = new Date();
const DATE = NOW.toISOString().slice(0, 10);
const fastHttp = { http: { maxTries: 1, timeoutMs: 5_000 }, now: NOW };

const mocks = useMockConsoles(NOW);

const vaultInstance = (apiKey = VAULT_ADMIN_KEY) => ({ name: 'vault', vendor: 'metadefender-vault', url: mocks.vault.url, apiKey, username: 'alice' });
const coreInstance = () => ({ name: 'core-prod', vendor: 'metadefender-core', url: mocks.core.url, apiKey: CORE_ADMIN_KEY });
const coreKeys = CORE_USERS.filter((u) => u.api_key || u.apikey);

function parseCsv(text: string): string[][] {
  expect(text.startsWith('\uFEFF')).toBe(true);
  expect(text).toContain('\r\n');
  return Papa.parse<string[]>(text.slice(1), { newline: '\r\n', skipEmptyLines: true }).data;
}

describe('export', () => {
  it('downloads every instance through the offscreen document’s blob URL in the service worker, named keyatlas-all-<date>.csv', async () => {
    const { ask } = await loadApp({ inventory: fastHttp, blobUrls: false });
    await ask('instances:save', { instance: vaultInstance() });
    await ask('instances:save', { instance: coreInstance() });

    const reply = await ask('export', { keys: 'masked' });

    const tokens = vaultDemoTokens(NOW);
    expect(reply).toEqual({
      ok: true,
      rows: tokens.length + coreKeys.length,
      fileName: `keyatlas-all-${DATE}.csv`,
      coverage: { vault: 'own + system-level tokens', 'core-prod': 'all users' },
    });
    expect(mocks.browserApis.downloads).toHaveLength(1);
    const download = mocks.browserApis.downloads[0]!;
    expect(download).toMatchObject({ filename: `keyatlas-all-${DATE}.csv`, saveAs: false });
    expect(download.url.startsWith('blob:')).toBe(true);
    const text = await downloadedText(download.url);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(tokens.length + coreKeys.length);
    // Non-ASCII text survives the trip through the offscreen document byte for byte.
    expect(text).toContain('CI pipeline for Zoë');
    expect(text).toContain('Ωmega-ops');
    // Masked by default: no key in full.
    for (const t of tokens) expect(text).not.toContain(t.token);
    for (const u of coreKeys) expect(text).not.toContain(String(u.api_key ?? u.apikey));

    // The export's read refreshed the cache and the badge too.
    const state = await ask('state:get');
    expect(state.instances.every((i) => i.ok === true)).toBe(true);
    expect(await fakeBrowser.action.getBadgeText({})).toBe(String(state.totals.expired + state.totals.within7));
  });

  it('uses a blob URL where one exists (Firefox) and revokes it once the download completes', async () => {
    const { ask } = await loadApp({ inventory: fastHttp, blobUrls: true });
    await ask('instances:save', { instance: vaultInstance() });

    const reply = await ask('export', { instance: 'vault', keys: 'full' });

    expect(reply).toEqual({ ok: true, rows: vaultDemoTokens(NOW).length, fileName: `keyatlas-vault-${DATE}.csv`, coverage: { vault: 'own + system-level tokens' } });
    const download = mocks.browserApis.downloads[0]!;
    expect(download.url.startsWith('blob:')).toBe(true);
    const text = await downloadedText(download.url);
    // `full` is the explicit opt-in for whole keys.
    for (const t of vaultDemoTokens(NOW)) expect(text).toContain(t.token);
    expect(parseCsv(text).slice(1).every((row) => row[0] === 'vault')).toBe(true);

    mocks.browserApis.finishDownload(download.id + 1);
    expect(resolveObjectURL(download.url)).toBeDefined();
    expect(mocks.browserApis.erased).toEqual([]);
    mocks.browserApis.finishDownload(download.id);
    expect(resolveObjectURL(download.url)).toBeUndefined();
    // The file holds whole keys: its entry leaves the download history once it is saved.
    expect(mocks.browserApis.erased).toEqual([download.id]);
  });

  it('still downloads what was read when one instance fails, and names the failure', async () => {
    const { ask } = await loadApp({ inventory: fastHttp, blobUrls: false });
    await ask('instances:save', { instance: vaultInstance('WRONG-VAULT-KEY-000000') });
    await ask('instances:save', { instance: coreInstance() });

    const reply = await ask('export', { keys: 'omit' });

    expect(reply).toMatchObject({ ok: true, rows: coreKeys.length });
    if (!reply.ok) return;
    expect(reply.errors).toHaveLength(1);
    expect(reply.errors![0]).toContain('vault');
    expect(reply.errors![0]).not.toContain('WRONG-VAULT-KEY-000000');
    expect(parseCsv(await downloadedText(mocks.browserApis.downloads[0]!.url))).toHaveLength(1 + coreKeys.length);
  });

  it('with evidence, saves beside the CSV the manifest of the same read: schema-valid, vouching for the exact CSV, and holding no key', async () => {
    const { ask } = await loadApp({ inventory: fastHttp, blobUrls: false });
    await ask('instances:save', { instance: vaultInstance() });
    await ask('instances:save', { instance: coreInstance() });
    // The vault announces keys it never sends: incomplete, and the claim is in its ledger.
    mocks.vault.fault({ kind: 'status', status: 200, json: { filter_count: 99, items: [] } });
    try {
      const reply = await ask('export', { keys: 'full', evidence: true });
      expect(reply).toMatchObject({ ok: true, rows: coreKeys.length, fileName: `keyatlas-all-${DATE}.csv`, evidenceFileName: `keyatlas-all-${DATE}.evidence.json` });
    } finally {
      mocks.vault.clearFaults();
    }
    const [csvDownload, evidenceDownload] = mocks.browserApis.downloads;
    expect(mocks.browserApis.downloads).toHaveLength(2);
    expect(evidenceDownload).toMatchObject({ filename: `keyatlas-all-${DATE}.evidence.json`, saveAs: false });
    expect(resolveObjectURL(evidenceDownload!.url)?.type).toBe('application/json');
    const csv = await downloadedText(csvDownload!.url);
    const text = await downloadedText(evidenceDownload!.url);
    const evidence = JSON.parse(text) as Evidence;
    expect(validate(evidenceJsonSchema(), evidence)).toEqual([]);
    expect(evidence.tool).toEqual({ name: 'keyatlas', version: PACKAGE_VERSION });
    expect(evidence.generatedAt).toBe(NOW.toISOString());
    expect(evidence.file).toEqual({ name: `keyatlas-all-${DATE}.csv`, format: 'csv', sha256: createHash('sha256').update(csv, 'utf8').digest('hex'), rows: coreKeys.length });
    const byName = new Map(evidence.instances.map((i) => [i.name, i]));
    expect(byName.get('vault')).toMatchObject({ vendor: 'metadefender-vault', origin: mocks.vault.url, coverage: 'own + system-level tokens', outcome: 'incomplete', keys: 0 });
    expect(byName.get('vault')!.ledger.claims).toContainEqual(expect.objectContaining({ source: 'filter_count', value: 99, credible: true }));
    expect(byName.get('core-prod')).toMatchObject({ vendor: 'metadefender-core', coverage: 'all users', outcome: 'ok', warnings: [], keys: coreKeys.length });
    // The CSV holds the keys in full; the evidence none of them, nor a credential.
    for (const u of coreKeys) {
      expect(csv).toContain(String(u.api_key ?? u.apikey));
      expect(text).not.toContain(String(u.api_key ?? u.apikey));
    }
    for (const secret of [VAULT_ADMIN_KEY, CORE_ADMIN_KEY]) expect(text).not.toContain(secret);

    // The read that made the evidence is the popup's last refresh: the same outcome and coverage.
    const state = await ask('state:get');
    expect(state.instances.map((i) => [i.name, i.errorKind, i.coverage])).toEqual([
      ['vault', 'incomplete', 'own + system-level tokens'],
      ['core-prod', undefined, 'all users'],
    ]);
  });

  it('downloads nothing when nothing could be read', async () => {
    const { ask } = await loadApp({ inventory: fastHttp, blobUrls: false });
    await ask('instances:save', { instance: vaultInstance('WRONG-VAULT-KEY-000000') });
    const reply = await ask('export', { instance: 'vault', keys: 'masked' });
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error).toContain('API key is incorrect');
    expect(mocks.browserApis.downloads).toHaveLength(0);
    expect(await ask('export', { instance: 'nope', keys: 'masked' })).toEqual({ ok: false, error: 'There is no instance named "nope".' });
    expect(mocks.browserApis.downloads).toHaveLength(0);
  });

  it('detects the download URL kind from the environment', () => {
    // Node, like Firefox's event page, has URL.createObjectURL and no service-worker scope.
    expect(canUseBlobUrls()).toBe(true);
    vi.stubGlobal('ServiceWorkerGlobalScope', class {});
    try {
      expect(canUseBlobUrls()).toBe(false);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
