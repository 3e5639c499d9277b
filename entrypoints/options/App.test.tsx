/** @vitest-environment happy-dom */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEFAULT_SETTINGS } from '../../lib/managed';
import type { ExtensionProtocol } from '../../lib/messages';
import { sendMessage } from '../../ext/messaging';
import { byTestId, byText, click, mount, setValue, unmount, until } from '../../test/support/dom';
import { FAILING_ERROR, instanceViews, popupState } from '../../test/support/ui-fixtures';
import { OptionsApp } from './App';

vi.mock('../../ext/messaging', () => ({ sendMessage: vi.fn() }));

type Handlers = { [K in keyof ExtensionProtocol]?: (data: Parameters<ExtensionProtocol[K]>[0]) => unknown };

/** The background as the options page sees it: unlocked, the five fixture instances, saves succeed. */
function background(handlers: Handlers = {}) {
  const all: Handlers = {
    'state:get': () => popupState([]),
    'instances:list': () => instanceViews(),
    'instances:save': () => ({ ok: true }),
    refresh: () => ({ ok: true }),
    'notify:get': () => ({ enabled: false, days: [30, 7, 1], expired: true }),
    'notify:set': () => ({ ok: true }),
    'settings:get': () => ({ settings: DEFAULT_SETTINGS, managed: [], problems: [] }),
    ...handlers,
  };
  const send = vi.mocked(sendMessage);
  send.mockImplementation((async (type: keyof ExtensionProtocol, data: never) => {
    const handler = all[type] as ((data: never) => unknown) | undefined;
    if (!handler) throw new Error(`no handler for ${type}`);
    return handler(data);
  }) as unknown as typeof sendMessage);
  return send;
}

function callsOf(type: keyof ExtensionProtocol): unknown[] {
  return vi.mocked(sendMessage).mock.calls.filter(([t]) => t === type).map(([, data]) => data);
}

/** Host permissions as the browser keeps them: `granted` patterns pass `contains`; `request` adds unless refused. */
function permissions({ granted = [] as string[], answer = true as boolean | Error } = {}) {
  const have = new Set(granted);
  const contains = vi
    .spyOn(fakeBrowser.permissions, 'contains')
    .mockImplementation(async ({ origins = [], permissions = [] }) => [...origins, ...permissions].every((o) => have.has(o)));
  const request = vi.spyOn(fakeBrowser.permissions, 'request').mockImplementation(({ origins = [], permissions = [] }) => {
    if (answer instanceof Error) throw answer;
    if (answer) [...origins, ...permissions].forEach((o) => have.add(o));
    return Promise.resolve(answer);
  });
  return { contains, request, have };
}

let container: HTMLElement | undefined;
async function open() {
  container = await mount(<OptionsApp />);
  await until(() => container!.querySelector('[data-instance="vault"]'), 'the instance list');
  return container;
}
/** The add form sits behind its button while instances exist. */
async function openForm() {
  const root = await open();
  await click(byTestId(root, 'add-instance'));
  return root;
}
const formOf = (root: HTMLElement) => byTestId<HTMLFormElement>(root, 'instance-form')!;
const field = (root: HTMLElement, name: string) => formOf(root).querySelector<HTMLInputElement>(`[name="${name}"]`);
const fieldError = (root: HTMLElement, name: string) =>
  formOf(root).querySelector(`[data-field="${name}"] .field-error`)?.textContent ?? undefined;
const shownFields = (root: HTMLElement) => [...formOf(root).querySelectorAll<HTMLElement>('[data-field]')].map((el) => el.dataset.field);
async function submit(root: HTMLElement) {
  await click(formOf(root).querySelector('button[type="submit"]'));
}
async function fill(root: HTMLElement, values: Record<string, string>) {
  for (const [name, value] of Object.entries(values)) await setValue(field(root, name), value);
}

beforeEach(() => {
  fakeBrowser.reset();
  vi.mocked(sendMessage).mockReset();
  history.replaceState(null, '', '/options.html');
});
afterEach(async () => {
  if (container) await unmount(container);
  container = undefined;
  vi.restoreAllMocks();
  delete (globalThis as { confirm?: unknown }).confirm;
});

describe('instance form', () => {
  it.each([
    ['metadefender-core', ['vendor', 'name', 'url', 'apiKey', 'username', 'password']],
    ['metadefender-storage', ['vendor', 'name', 'url', 'username', 'password']],
    ['cortex-xsoar', ['vendor', 'name', 'url', 'apiKey', 'apiKeyId', 'securityLevel']],
    ['metadefender-vault', ['vendor', 'name', 'url', 'apiKey', 'username']],
    ['metadefender-cloud', ['vendor', 'name', 'url', 'apiKey']],
  ])('shows the fields %s needs', async (vendor, fields) => {
    background();
    permissions();
    const root = await openForm();
    await setValue(field(root, 'vendor'), vendor);
    expect(shownFields(root)).toEqual(fields);
  });

  it('explains that MDSS API keys cannot list keys and prefills the Cloud URL', async () => {
    background();
    permissions();
    const root = await openForm();
    await setValue(field(root, 'vendor'), 'metadefender-storage');
    expect(formOf(root).querySelector('.note')!.textContent).toContain('API keys cannot list keys');
    await setValue(field(root, 'vendor'), 'metadefender-cloud');
    expect(field(root, 'url')!.value).toBe('https://api.metadefender.com');
  });

  it('puts each client-side problem next to its field and neither asks for access nor saves', async () => {
    background();
    const { request } = permissions();
    const root = await openForm();
    await setValue(field(root, 'vendor'), 'cortex-xsoar');
    await fill(root, { name: 'vault', url: 'tenant.example', apiKeyId: 'key-7' });
    await submit(root);
    expect(fieldError(root, 'name')).toBe('Name "vault" is already used by another instance');
    expect(fieldError(root, 'url')).toBe('URL must start with https:// or http://, e.g. https://api-tenant.example.com');
    // Vendors by their product names, not the config file's ids.
    expect(fieldError(root, 'apiKey')).toBe('API key is required for Cortex XSOAR 8');
    expect(fieldError(root, 'apiKeyId')).toBe('API key id must be the numeric key id');
    expect(request).not.toHaveBeenCalled();
    expect(callsOf('instances:save')).toEqual([]);
  });

  it('asks for the API and console origins inside the click, then saves and refreshes the new instance', async () => {
    background();
    const { request } = permissions();
    const root = await openForm();
    await setValue(field(root, 'vendor'), 'cortex-xsoar');
    await fill(root, { name: 'xsoar-eu', url: 'https://api-eu.xdr.example.com', apiKey: 'sEcReT-key-value', apiKeyId: '2841', securityLevel: 'advanced' });
    expect(byTestId(root, 'access')!.textContent).toBe(
      'Saving asks your browser to let KeyAtlas call https://api-eu.xdr.example.com/* and https://eu.xdr.example.com/*.',
    );
    // Clicked outside act(): the prompt must be requested synchronously, inside the user gesture (Firefox).
    formOf(root).querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    expect(request).toHaveBeenCalledWith({ origins: ['https://api-eu.xdr.example.com/*', 'https://eu.xdr.example.com/*'] });
    expect(callsOf('instances:save')).toEqual([]);
    await until(() => callsOf('refresh').length, 'the refresh');
    expect(callsOf('instances:save')).toEqual([
      {
        instance: { name: 'xsoar-eu', vendor: 'cortex-xsoar', url: 'https://api-eu.xdr.example.com', apiKey: 'sEcReT-key-value', apiKeyId: '2841', securityLevel: 'advanced' },
      },
    ]);
    expect(callsOf('refresh')).toEqual([{ instance: 'xsoar-eu' }]);
    expect(root.querySelector('p.ok[role="status"]')!.textContent).toBe('Saved xsoar-eu.');
    // Saved: the form closes, and the button opens a fresh one.
    expect(formOf(root)).toBeNull();
    await click(byTestId(root, 'add-instance'));
    expect(field(root, 'name')!.value).toBe('');
    expect(root.textContent).not.toContain('sEcReT-key-value');
  });

  it('does not prompt for an origin already granted (e.g. a built-in test host)', async () => {
    background();
    const { request } = permissions({ granted: ['http://127.0.0.1/*'] });
    const root = await openForm();
    await setValue(field(root, 'vendor'), 'metadefender-vault');
    await fill(root, { name: 'vault-lab', url: 'http://127.0.0.1:41234', apiKey: 'k'.repeat(32), username: 'alice' });
    await until(() => byTestId(root, 'access')?.textContent === 'KeyAtlas may call http://127.0.0.1/*.', 'the permission check');
    await submit(root);
    await until(() => callsOf('instances:save').length, 'the save');
    expect(request).not.toHaveBeenCalled();
  });

  it('says so and saves nothing when access is refused', async () => {
    background();
    permissions({ answer: false });
    const root = await openForm();
    await setValue(field(root, 'vendor'), 'metadefender-cloud');
    await fill(root, { name: 'cloud-2', apiKey: 'k'.repeat(32) });
    await submit(root);
    const error = await until(() => byTestId(root, 'save-error'), 'the refusal');
    expect(error.textContent).toBe(
      'Access to https://api.metadefender.com/* was refused, so the instance was not saved: KeyAtlas needs it to call the API.',
    );
    expect(callsOf('instances:save')).toEqual([]);
  });

  it('edits with empty secret fields and omits them, so the stored key is kept', async () => {
    background();
    permissions({ granted: ['https://vault.example/*'] });
    const root = await openForm();
    await click(root.querySelector('[data-instance="vault"]')!.querySelector('button'));
    expect(formOf(root).querySelector('h3')!.textContent).toBe('Edit vault');
    expect(field(root, 'apiKey')!.value).toBe('');
    expect(formOf(root).querySelector('[data-field="apiKey"] .help')!.textContent).toBe('Leave empty to keep the stored key.');
    expect(field(root, 'username')!.value).toBe('alice');
    // A rename keeps the key; another username would not (the key is bound to it).
    await fill(root, { name: 'vault-eu' });
    await submit(root);
    await until(() => callsOf('instances:save').length, 'the save');
    expect(callsOf('instances:save')).toEqual([
      { instance: { name: 'vault-eu', vendor: 'metadefender-vault', url: 'https://vault.example:8010', username: 'alice' }, originalName: 'vault' },
    ]);
  });

  it('shows the problems the background finds, beside their fields or listed', async () => {
    background({
      'instances:save': () => ({
        ok: false,
        error: 'The instance was not saved: 2 problems',
        problems: [
          { path: 'instance.url', message: 'must not contain a user name or password; use apiKey / username / password' },
          { path: 'instance.caFile', message: 'is not supported in the extension' },
        ],
      }),
    });
    permissions({ granted: ['https://core.example/*'] });
    const root = await openForm();
    await fill(root, { name: 'core-2', url: 'https://core.example:8008', apiKey: 'k'.repeat(32) });
    await submit(root);
    const error = await until(() => byTestId(root, 'save-error'), 'the problems');
    expect(error.querySelector('p')!.textContent).toBe('The instance was not saved: 2 problems');
    expect([...error.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['instance.caFile: is not supported in the extension']);
    expect(fieldError(root, 'url')).toBe('URL must not contain a user name or password; use apiKey / username / password');
  });

  it('opens the add form prefilled from #add?url=…&vendor=…, also on a later hash change', async () => {
    history.replaceState(null, '', `/options.html#add?url=${encodeURIComponent('https://api-tenant.example/#/settings')}&vendor=cortex-xsoar`);
    background();
    permissions();
    const root = await open();
    expect(field(root, 'vendor')!.value).toBe('cortex-xsoar');
    expect(field(root, 'url')!.value).toBe('https://api-tenant.example');

    history.replaceState(null, '', `/options.html#add?url=${encodeURIComponent('https://vault.example:8010')}&vendor=metadefender-vault`);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    await until(() => field(root, 'vendor')!.value === 'metadefender-vault', 'the new prefill');
    expect(field(root, 'url')!.value).toBe('https://vault.example:8010');
  });
});

describe('instance list', () => {
  it('shows each instance\'s last read: its state in words, when, the engine\'s error and warnings', async () => {
    const state = popupState([]);
    state.instances.find((inst) => inst.name === 'vault')!.warnings = ['metadefender-vault instance "vault": 2 dates could not be read'];
    state.instances.find((inst) => inst.name === 'cloud')!.parked = true;
    background({ 'state:get': () => state });
    permissions();
    const root = await open();
    const marks = Object.fromEntries(
      [...root.querySelectorAll<HTMLElement>('.instance-item')].map((row) => [row.dataset.instance, byTestId(row, 'read-state')!.textContent]),
    );
    expect(marks).toEqual({ 'core-prod': '✓Complete', mdss: '✓Complete', xsoar: '✕Failed', vault: '⚠Complete, 1 warning', cloud: '⏸Paused' });
    const xsoar = root.querySelector('[data-instance="xsoar"]')!;
    expect(xsoar.querySelector('.error-detail')!.textContent).toBe(FAILING_ERROR);
    expect(xsoar.querySelector('time')!.getAttribute('datetime')).toBe(state.instances.find((inst) => inst.name === 'xsoar')!.lastRefresh);
    expect(root.querySelector('[data-instance="vault"] .warnings li')!.textContent).toBe('metadefender-vault instance "vault": 2 dates could not be read');
  });

  it('keeps the add form behind its button while instances exist; Cancel closes it', async () => {
    background();
    permissions();
    const root = await open();
    expect(formOf(root)).toBeNull();
    await click(byTestId(root, 'add-instance'));
    expect(byTestId(root, 'add-instance')).toBeNull();
    await click(byText(formOf(root), 'Cancel'));
    expect(formOf(root)).toBeNull();
    expect(byTestId(root, 'add-instance')).not.toBeNull();
  });

  it('opens the add form at once when no instance exists yet, with nothing to cancel', async () => {
    background({ 'instances:list': () => [] });
    permissions();
    container = await mount(<OptionsApp />);
    const form = await until(() => byTestId(container!, 'instance-form'), 'the first-run form');
    expect(byText(form, 'Cancel')).toBeNull();
    expect(byTestId(container, 'add-instance')).toBeNull();
  });

  it('tests an instance and shows the key count or the error text verbatim', async () => {
    background({
      'instances:test': ({ name }) =>
        name === 'core-prod' ? { ok: true, count: 12 } : { ok: false, error: 'metadefender-cloud instance "cloud": HTTP 401: Invalid apikey' },
    });
    permissions();
    const root = await open();
    for (const [name, text] of [
      ['core-prod', 'OK: 12 keys read'],
      ['cloud', 'metadefender-cloud instance "cloud": HTTP 401: Invalid apikey'],
    ] as const) {
      const row = root.querySelector(`[data-instance="${name}"]`)!;
      await click(byText(row, 'Test'));
      const result = await until(() => byTestId(row, 'test-result'), 'the test result');
      expect(result.textContent).toBe(text);
    }
    expect(callsOf('instances:test')).toEqual([{ name: 'core-prod' }, { name: 'cloud' }]);
  });

  it('removes an instance only after confirmation', async () => {
    background({ 'instances:remove': () => ({ ok: true }) });
    permissions();
    // happy-dom has no dialogs: the page's confirm() answers "no" once, then "yes".
    const confirm = vi.fn().mockReturnValueOnce(false).mockReturnValueOnce(true);
    globalThis.confirm = confirm;
    const root = await open();
    const row = root.querySelector('[data-instance="mdss"]')!;
    await click(byText(row, 'Remove'));
    expect(callsOf('instances:remove')).toEqual([]);
    await click(byText(row, 'Remove'));
    await until(() => callsOf('instances:list').length > 1, 'the reload');
    expect(confirm).toHaveBeenLastCalledWith('Remove mdss? Its stored credentials are deleted.');
    expect(callsOf('instances:remove')).toEqual([{ name: 'mdss' }]);
  });
});

describe('managed instances', () => {
  it('are marked, offer no Remove, and open with only the credential editable', async () => {
    background({ 'instances:list': () => instanceViews().map((inst) => (inst.name === 'vault' ? { ...inst, managed: true } : inst)) });
    permissions();
    const root = await open();
    const row = root.querySelector('[data-instance="vault"]')!;
    expect(byTestId(row, 'managed')?.textContent).toBe('Managed by your organisation');
    expect([...row.querySelectorAll('button')].map((b) => b.textContent?.trim())).toEqual(['Edit', 'Test']);
    expect([...root.querySelector('[data-instance="mdss"]')!.querySelectorAll('button')].map((b) => b.textContent?.trim())).toContain('Remove');

    await click(byText(row, 'Edit'));
    await until(() => field(root, 'name')?.value === 'vault', 'the edit form');
    expect(formOf(root).textContent).toContain("Your organisation's policy sets this instance");
    expect(formOf(root).querySelector<HTMLSelectElement>('[name="vendor"]')!.disabled).toBe(true);
    expect(field(root, 'name')!.readOnly).toBe(true);
    expect(field(root, 'url')!.readOnly).toBe(true);
    expect(field(root, 'apiKey')!.readOnly).toBe(false);
  });
});

describe('config import and export', () => {
  const configText = JSON.stringify(
    {
      instances: [
        { name: 'core-prod', vendor: 'metadefender-core', url: 'https://core.example:8008', apiKey: 'a'.repeat(32) },
        { name: 'cloud', vendor: 'metadefender-cloud', apiKey: 'b'.repeat(32) },
      ],
    },
    null,
    2,
  );

  async function choose(root: HTMLElement, text: string, name = 'keyatlas.json') {
    const input = byTestId<HTMLInputElement>(root, 'import-config')!;
    expect(input.accept).toContain('.json');
    Object.defineProperty(input, 'files', { configurable: true, value: [new File([text], name, { type: 'application/json' })] });
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }

  it('imports the chosen file at once, sending its text, with no prompt for granted origins', async () => {
    background({ 'config:import': () => ({ ok: true, imported: 2 }) });
    const { request } = permissions({ granted: ['https://core.example/*', 'https://api.metadefender.com/*'] });
    const root = await open();
    await choose(root, configText);
    const result = await until(() => byTestId(root, 'import-result'), 'the import result');
    expect(result.textContent).toBe('Imported 2 instances from keyatlas.json; refreshing.');
    expect(result.querySelector('li')).toBeNull();
    expect(callsOf('config:import')).toEqual([{ json: configText }]);
    expect(request).not.toHaveBeenCalled();
    expect(byTestId(root, 'ungranted')).toBeNull();
  });

  it('still imports when the prompt is impossible, then offers to grant the missing origins', async () => {
    background({ 'config:import': () => ({ ok: true, imported: 2 }) });
    const perms = permissions({ granted: ['https://core.example/*'], answer: new Error('permissions.request may only be called from a user input handler') });
    const root = await open();
    await choose(root, configText);
    await until(() => byTestId(root, 'import-result'), 'the import result');
    expect(perms.request).toHaveBeenCalledWith({ origins: ['https://api.metadefender.com/*'] });
    expect(callsOf('config:import')).toEqual([{ json: configText }]);
    const ungranted = byTestId(root, 'ungranted')!;
    expect([...ungranted.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['https://api.metadefender.com/*']);

    perms.request.mockImplementation(async ({ origins = [] }) => {
      origins.forEach((o) => perms.have.add(o));
      return true;
    });
    await click(byText(ungranted, 'Grant access'));
    expect(perms.request).toHaveBeenLastCalledWith({ origins: ['https://api.metadefender.com/*'] });
    await until(() => !byTestId(root, 'ungranted'), 'the granted origins');
    await until(() => callsOf('refresh').length, 'the refresh');
    expect(callsOf('refresh')).toEqual([{}]);
  });

  it('lists the warnings of a partly imported file', async () => {
    background({
      'config:import': () => ({
        ok: true,
        imported: 1,
        warnings: [{ path: 'instances[1].apiKey', message: 'names the environment variable CLOUD_KEY, which only the command line can read' }],
      }),
    });
    permissions({ granted: ['https://core.example/*', 'https://api.metadefender.com/*'] });
    const root = await open();
    await choose(root, configText);
    const result = await until(() => byTestId(root, 'import-result'), 'the import result');
    expect(result.querySelector('p')!.textContent).toBe('Imported 1 instance from keyatlas.json; refreshing.');
    expect([...result.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      'instances[1].apiKey: names the environment variable CLOUD_KEY, which only the command line can read',
    ]);
  });

  it('lists every problem of a rejected file as path: message', async () => {
    background({
      'config:import': () => ({
        ok: false,
        error: 'config: 2 problems',
        problems: [
          { path: 'instances[1].url', message: 'must use http or https, not ftp' },
          { path: 'instances[2].name', message: '"core" is already used by instances[0]' },
        ],
      }),
    });
    permissions();
    const root = await open();
    await choose(root, '{"instances": []}', 'bad.json');
    const result = await until(() => byTestId(root, 'import-result'), 'the problems');
    expect(result.querySelector('p')!.textContent).toBe('bad.json: config: 2 problems');
    expect([...result.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      'instances[1].url: must use http or https, not ftp',
      'instances[2].name: "core" is already used by instances[0]',
    ]);
  });

  it.each([false, true])('exports the config (include secrets: %s) as a downloaded JSON file', async (includeSecrets) => {
    const json = JSON.stringify({ instances: [{ name: 'cloud', vendor: 'metadefender-cloud' }] });
    background({ 'config:export': () => ({ ok: true, json }) });
    permissions();
    const clicked: HTMLAnchorElement[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
    const blobs = new Map<string, Blob>();
    const createObjectURL = URL.createObjectURL.bind(URL);
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      const url = createObjectURL(blob);
      blobs.set(url, blob as Blob);
      return url;
    });
    const root = await open();
    const box = root.querySelector<HTMLInputElement>('input[name="includeSecrets"]')!;
    expect(box.checked).toBe(false);
    if (includeSecrets) await click(box);
    expect(root.textContent?.includes('plain text')).toBe(includeSecrets);
    await click(byText(root, 'Export config JSON'));
    const link = await until(() => byTestId<HTMLAnchorElement>(root, 'config-download'), 'the download link');
    expect(callsOf('config:export')).toEqual([{ includeSecrets }]);
    expect(link.download).toMatch(/^keyatlas-config-\d{4}-\d{2}-\d{2}\.json$/);
    expect(link.href).toMatch(/^blob:/);
    await until(() => clicked.length, 'the automatic download click');
    expect(clicked).toEqual([link]);
    expect(await blobs.get(link.href)!.text()).toBe(json);
  });
});

describe('passphrase lock', () => {
  it('sets a passphrase of at least 12 characters, typed twice', async () => {
    let hasPassphrase = false;
    background({
      'state:get': () => popupState([], { hasPassphrase }),
      'lock:set': () => {
        hasPassphrase = true;
        return { ok: true };
      },
    });
    permissions();
    const root = await open();
    const set = (name: string, value: string) => setValue(root.querySelector(`input[name="${name}"]`), value);
    await set('new-passphrase', 'eleven char');
    await set('confirm-passphrase', 'eleven char');
    await click(byText(root, 'Set passphrase'));
    expect(root.querySelector('.lock-set [role="alert"]')!.textContent).toBe('The passphrase needs at least 12 characters.');
    await set('new-passphrase', 'correct horse battery');
    await set('confirm-passphrase', 'correct horse batterie');
    await click(byText(root, 'Set passphrase'));
    expect(root.querySelector('.lock-set [role="alert"]')!.textContent).toBe('The two passphrases differ.');
    expect(callsOf('lock:set')).toEqual([]);
    await set('confirm-passphrase', 'correct horse battery');
    await click(byText(root, 'Set passphrase'));
    await until(() => byText(root, 'Lock now'), 'the unlocked lock settings');
    expect(callsOf('lock:set')).toEqual([{ passphrase: 'correct horse battery' }]);
  });

  it('locks, hides the instances while locked, unlocks, and removes the passphrase', async () => {
    let locked = false;
    let hasPassphrase = true;
    background({
      'state:get': () => popupState([], { locked, hasPassphrase }),
      'instances:list': () => {
        if (locked) throw new Error('locked');
        return instanceViews();
      },
      'lock:lock': () => {
        locked = true;
        return { ok: true };
      },
      'lock:unlock': ({ passphrase }) => {
        if (passphrase !== 'correct horse battery') return { ok: false, error: 'wrong passphrase' };
        locked = false;
        return { ok: true };
      },
      'lock:remove': ({ passphrase }) => {
        if (passphrase !== 'correct horse battery') return { ok: false, error: 'wrong passphrase' };
        hasPassphrase = false;
        return { ok: true };
      },
    });
    permissions();
    const root = await open();
    await click(byText(root, 'Lock now'));
    const unlock = await until(() => byTestId(root, 'unlock'), 'the unlock form');
    expect(byTestId(root, 'instance-form')).toBeNull();
    expect(byTestId(root, 'import-config')).toBeNull();

    await setValue(unlock.querySelector('input'), 'correct horse battery');
    await click(byText(unlock, 'Unlock'));
    await until(() => byTestId(root, 'import-config'), 'the unlocked page');

    await setValue(root.querySelector('input[name="current-passphrase"]'), 'nope nope nope');
    await click(byText(root, 'Remove passphrase'));
    const error = await until(() => root.querySelector('.lock-unlocked [role="alert"]'), 'the remove error');
    expect(error.textContent).toBe('wrong passphrase');
    await setValue(root.querySelector('input[name="current-passphrase"]'), 'correct horse battery');
    await click(byText(root, 'Remove passphrase'));
    await until(() => byText(root, 'Set passphrase'), 'the passphrase removed');
    expect(callsOf('lock:remove')).toEqual([{ passphrase: 'nope nope nope' }, { passphrase: 'correct horse battery' }]);
  });
});

describe('notifications', () => {
  it('notify-toggle asks for the notifications permission in the click, then saves; thresholds are edited', async () => {
    background();
    const { request } = permissions();
    const root = await open();
    const toggle = await until(() => byTestId<HTMLInputElement>(root, 'notify-toggle'), 'the toggle');
    await click(toggle);
    await until(() => callsOf('notify:set').length === 1 || null, 'the save');
    expect(request).toHaveBeenCalledWith({ permissions: ['notifications'] });
    expect(callsOf('notify:set')).toEqual([{ enabled: true, days: [30, 7, 1], expired: true }]);

    const days = root.querySelector<HTMLInputElement>('.notify-settings input[type="text"]')!;
    await setValue(days, '14, x');
    await click(byText(root, 'Save thresholds'));
    expect(root.querySelector('.notify-settings [role="alert"]')?.textContent).toContain('whole numbers of days');
    await setValue(days, '14; 3');
    await click(byText(root, 'Save thresholds'));
    await until(() => callsOf('notify:set').length === 2 || null, 'the second save');
    expect(callsOf('notify:set')[1]).toEqual({ enabled: true, days: [14, 3], expired: true });
  });

  it('no request when the browser already holds the permission (Firefox throws for one the manifest declares)', async () => {
    background();
    const { request } = permissions({ granted: ['notifications'], answer: new Error('Cannot request permission notifications since it was not declared in optional_permissions') });
    const root = await open();
    await click(await until(() => byTestId(root, 'notify-toggle'), 'the toggle'));
    await until(() => callsOf('notify:set').length === 1 || null, 'the save');
    expect(request).not.toHaveBeenCalled();
    expect(root.querySelector('.notify-settings [role="alert"]')).toBeNull();
  });

  it('a refused permission leaves notifications off', async () => {
    background();
    permissions({ answer: false });
    const root = await open();
    await click(await until(() => byTestId(root, 'notify-toggle'), 'the toggle'));
    await until(() => root.querySelector('.notify-settings [role="alert"]'), 'the refusal');
    expect(callsOf('notify:set')).toEqual([]);
  });
});
