import { describe, expect, it } from 'vitest';
import type { InstanceView } from '../../lib/messages';
import { VENDOR_IDS } from '../../lib/vendors';
import {
  buildInstance,
  changeVendor,
  emptyForm,
  fieldOf,
  formFromView,
  keepsStoredSecret,
  parseAddHash,
  urlHint,
  validateForm,
  type FormValues,
} from './instance-form';

const form = (values: Partial<FormValues>): FormValues => ({ ...emptyForm(values.vendor as never), ...values });
const noNames = { existingNames: [] };

describe('validateForm per vendor', () => {
  it('accepts a complete instance of every vendor', () => {
    const complete: FormValues[] = [
      form({ name: 'core', vendor: 'metadefender-core', url: 'https://core.example:8008', apiKey: 'a1b2c3d4e5f6' }),
      form({ name: 'core-login', vendor: 'metadefender-core', url: 'https://core.example:8008', username: 'admin', password: 'pw' }),
      form({ name: 'mdss', vendor: 'metadefender-storage', url: 'https://mdss.example', username: 'admin', password: 'pw' }),
      form({ name: 'xsoar', vendor: 'cortex-xsoar', url: 'https://api-t.example', apiKey: 'k', apiKeyId: '2841', securityLevel: 'advanced' }),
      form({ name: 'vault', vendor: 'metadefender-vault', url: 'https://vault.example:8010', apiKey: 'k', username: 'alice' }),
      form({ name: 'cloud', vendor: 'metadefender-cloud', apiKey: 'k' }),
    ];
    for (const values of complete) expect(validateForm(values, noNames), values.name).toEqual({});
  });

  it('names each missing field next to it', () => {
    expect(validateForm(form({ vendor: 'metadefender-core' }), noNames)).toEqual({
      name: 'Name must not be empty',
      url: 'URL is required for MetaDefender Core',
      apiKey: 'API key is required for MetaDefender Core (or username and password to log in)',
    });
    const mdss = validateForm(form({ name: 'm', vendor: 'metadefender-storage', url: 'https://mdss.example' }), noNames);
    expect(Object.keys(mdss).sort()).toEqual(['password', 'username']);
    expect(mdss.username).toContain('cannot list keys');
    const xsoar = validateForm(form({ name: 'x', vendor: 'cortex-xsoar', url: 'https://api-t.example', apiKey: 'k', apiKeyId: 'abc' }), noNames);
    expect(xsoar).toEqual({ apiKeyId: 'API key id must be the numeric key id' });
  });

  it('checks the URL shape with the config schema', () => {
    const check = (url: string) => validateForm(form({ name: 'c', vendor: 'metadefender-core', apiKey: 'k', url }), noNames).url;
    expect(check('core.example:8008')).toBe('URL must start with https:// or http://, e.g. https://core.example:8008');
    expect(check('https://')).toContain('is not a valid URL');
    expect(check('ftp://core.example')).toContain('must start with https://');
    expect(check('https://admin:pw@core.example')).toContain('must not contain a user name or password');
    expect(check('https://core.example/#/apikeys')).toContain('must not contain a query or fragment');
    expect(check('https://core.example:8008')).toBeUndefined();
  });

  it('lets the stored secrets stand in for empty fields when editing', () => {
    const editing: InstanceView = { name: 'vault', vendor: 'metadefender-vault', url: 'https://vault.example:8010', username: 'alice', has: { apiKey: true, password: false } };
    expect(validateForm(formFromView(editing), { editing, existingNames: ['vault'] })).toEqual({});
    const noKey = { ...editing, has: { apiKey: false, password: false } };
    expect(validateForm(formFromView(noKey), { editing: noKey, existingNames: ['vault'] }).apiKey).toContain('is required');
  });

  it('keeps a stored secret only while vendor and URL origin stay, as the background does', () => {
    const editing: InstanceView = { name: 'vault', vendor: 'metadefender-vault', url: 'https://vault.example:8010', username: 'alice', has: { apiKey: true, password: false } };
    const options = { editing, existingNames: ['vault'] };
    const notReused = 'API key is required: the URL, vendor, username or key id changed, so the stored key is not reused';
    const moved = { ...formFromView(editing), url: 'https://other.example:8010' };
    expect(keepsStoredSecret(moved, editing, 'apiKey')).toBe(false);
    expect(validateForm(moved, options)).toEqual({ apiKey: notReused });
    const asXsoar = { ...changeVendor(formFromView(editing), 'cortex-xsoar'), apiKeyId: '7' };
    expect(validateForm(asXsoar, options)).toEqual({ apiKey: notReused });
    // The same origin written another way is the same host.
    const samePlace = { ...formFromView(editing), url: 'https://VAULT.example:8010/' };
    expect(keepsStoredSecret(samePlace, editing, 'apiKey')).toBe(true);
    expect(validateForm(samePlace, options)).toEqual({});
  });

  it('refuses a name another instance uses, but not the edited one keeping its name', () => {
    const values = form({ name: 'cloud', vendor: 'metadefender-cloud', apiKey: 'k' });
    expect(validateForm(values, { existingNames: ['cloud'] }).name).toBe('Name "cloud" is already used by another instance');
    const editing: InstanceView = { name: 'cloud', vendor: 'metadefender-cloud', has: { apiKey: true, password: false } };
    expect(validateForm(values, { editing, existingNames: ['cloud'] })).toEqual({});
  });
});

describe('buildInstance', () => {
  it('sends only the vendor fields, trimmed, secrets as typed, empty ones left out', () => {
    const values = form({
      name: ' vault ',
      vendor: 'metadefender-vault',
      url: ' https://vault.example:8010 ',
      apiKey: ' key with spaces ',
      username: 'alice',
      password: 'typed before switching vendor',
      apiKeyId: '12',
    });
    expect(buildInstance(values)).toEqual({ name: 'vault', vendor: 'metadefender-vault', url: 'https://vault.example:8010', apiKey: ' key with spaces ', username: 'alice' });
  });

  it('omits unchanged secrets on edit so the stored ones are kept', () => {
    const view: InstanceView = { name: 'xsoar', vendor: 'cortex-xsoar', url: 'https://api-t.example', apiKeyId: '2841', securityLevel: 'advanced', has: { apiKey: true, password: false } };
    expect(buildInstance(formFromView(view))).toEqual({ name: 'xsoar', vendor: 'cortex-xsoar', url: 'https://api-t.example', apiKeyId: '2841', securityLevel: 'advanced' });
  });
});

describe('vendor defaults', () => {
  it('prefills the Cloud URL and swaps it back out for another vendor', () => {
    expect(emptyForm('metadefender-cloud').url).toBe('https://api.metadefender.com');
    const cloud = changeVendor(emptyForm('metadefender-core'), 'metadefender-cloud');
    expect(cloud.url).toBe('https://api.metadefender.com');
    expect(changeVendor(cloud, 'metadefender-vault').url).toBe('');
    expect(changeVendor({ ...cloud, url: 'https://eu.metadefender.example' }, 'metadefender-vault').url).toBe('https://eu.metadefender.example');
    expect(changeVendor(cloud, 'cortex-xsoar').securityLevel).toBe('standard');
  });

  it('hints at the api- host when an XSOAR console URL is typed', () => {
    expect(urlHint(form({ vendor: 'cortex-xsoar', url: 'https://tenant.xdr.us.paloaltonetworks.com' }))).toBe(
      'Cortex API URLs start with api-: did you mean https://api-tenant.xdr.us.paloaltonetworks.com?',
    );
    expect(urlHint(form({ vendor: 'cortex-xsoar', url: 'https://api-tenant.example' }))).toBeUndefined();
    expect(urlHint(form({ vendor: 'cortex-xsoar', url: 'http://127.0.0.1:8443' }))).toBeUndefined();
    expect(urlHint(form({ vendor: 'metadefender-core', url: 'https://core.example' }))).toBeUndefined();
  });
});

describe('fieldOf', () => {
  it.each([
    ['url', 'url'],
    ['instance.apiKey', 'apiKey'],
    ['instances[2].apiKeyId', 'apiKeyId'],
    ['instances[2]', undefined],
    ['', undefined],
  ])('%s → %s', (path, field) => {
    expect(fieldOf(path)).toBe(field);
  });
});

describe('parseAddHash', () => {
  it('opens the add form with the console origin and vendor', () => {
    const values = parseAddHash(`#add?url=${encodeURIComponent('https://vault.example:8010/#/tokens')}&vendor=metadefender-vault`);
    expect(values).toEqual({ ...emptyForm('metadefender-vault'), url: 'https://vault.example:8010' });
  });

  it('turns an XSOAR console origin into its API URL, lab hosts aside', () => {
    const add = (url: string) => parseAddHash(`#add?url=${encodeURIComponent(url)}&vendor=cortex-xsoar`)?.url;
    expect(add('https://tenant.xdr.eu.paloaltonetworks.com/settings/api-keys')).toBe('https://api-tenant.xdr.eu.paloaltonetworks.com');
    expect(add('https://api-tenant.example')).toBe('https://api-tenant.example');
    expect(add('http://127.0.0.1:8443/')).toBe('http://127.0.0.1:8443');
  });

  it('tolerates a missing or unknown vendor and a bare #add', () => {
    expect(parseAddHash('#add')).toEqual(emptyForm());
    expect(parseAddHash('#add?vendor=nope&url=https%3A%2F%2Fx.example')?.vendor).toBe(VENDOR_IDS[0]);
  });

  it('ignores every other hash', () => {
    expect(parseAddHash('')).toBeNull();
    expect(parseAddHash('#lock')).toBeNull();
    expect(parseAddHash('#address')).toBeNull();
  });
});
