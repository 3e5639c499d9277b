import { defaultUrl, instanceSchema, SECRET_FIELDS } from '../../lib/config';
import type { InstanceView } from '../../lib/messages';
import { normalizeOrigin, xsoarApiOrigin } from '../../lib/origins';
import { isCortexVendor, isVendorId, VENDOR_IDS, VENDOR_LABELS, type VendorId } from '../../lib/vendors';
import { t, type MessageKey } from '../i18n';
import { mayReuseSecrets, notReusedMessage } from '../stored-secrets';

/** Every text field the options form can show; each vendor uses a subset (docs/contract.md#instance-fields). */
export const FIELD_NAMES = ['name', 'vendor', 'url', 'apiKey', 'apiKeyId', 'securityLevel', 'username', 'password'] as const;
export type FieldName = (typeof FIELD_NAMES)[number];
export type FormValues = Record<FieldName, string>;
export type FieldErrors = Partial<Record<FieldName, string>>;

type SecretField = (typeof SECRET_FIELDS)[number];

export function fieldLabel(field: FieldName): string {
  return t(`options_field_${field}`);
}

/** A field's error: its label, then what is wrong (the shared config checks say that in English). */
export function fieldError(field: FieldName, message: string): string {
  return t('options_fieldError', fieldLabel(field), withVendorNames(message));
}

const VENDOR_ID_PATTERN = new RegExp(`\\b(?:${VENDOR_IDS.join('|')})\\b`, 'g');

/**
 * The shared config checks name vendors by id ("is required for cortex-xsoar"), as the config file
 * spells them; a person filling in a form knows the products by name ("Cortex XSOAR 8").
 */
export function withVendorNames(message: string): string {
  return message.replace(VENDOR_ID_PATTERN, (id) => VENDOR_LABELS[id as VendorId]);
}

export interface VendorForm {
  /** Fields shown for this vendor, besides name and vendor. */
  fields: readonly FieldName[];
  urlPlaceholder: string;
  /** Per-field help texts that differ from the generic label. */
  help?: Partial<Record<FieldName, MessageKey>>;
  note?: MessageKey;
}

// docs/contract.md#cortex-xsoar-xsiam-and-xdr: the Cortex public API lives on api-<tenant fqdn>, the console on <tenant fqdn>; XSIAM and XDR alike.
const CORTEX_FORM: VendorForm = {
  fields: ['url', 'apiKey', 'apiKeyId', 'securityLevel'],
  urlPlaceholder: 'https://api-tenant.example.com',
  help: {
    url: 'options_help_xsoarUrl',
    apiKeyId: 'options_help_xsoarKeyId',
  },
};

export const VENDOR_FORMS: Record<VendorId, VendorForm> = {
  'metadefender-core': {
    fields: ['url', 'apiKey', 'username', 'password'],
    urlPlaceholder: 'https://core.example:8008',
    note: 'options_note_core',
  },
  'metadefender-storage': {
    fields: ['url', 'username', 'password'],
    urlPlaceholder: 'https://mdss.example',
    // docs/contract.md#metadefender-storage-security: API keys cannot list keys or users; only a login session can.
    note: 'options_note_storage',
  },
  'cortex-xsoar': CORTEX_FORM,
  'metadefender-vault': {
    fields: ['url', 'apiKey', 'username'],
    urlPlaceholder: 'https://vault.example:8010',
    help: { username: 'options_help_vaultUser' },
  },
  'metadefender-cloud': {
    fields: ['url', 'apiKey'],
    urlPlaceholder: 'https://api.metadefender.com',
  },
  'cortex-xsiam': CORTEX_FORM,
  'cortex-xdr': CORTEX_FORM,
};

export function emptyForm(vendor: VendorId = 'metadefender-core'): FormValues {
  return {
    name: '',
    vendor,
    url: defaultUrl(vendor) ?? '',
    apiKey: '',
    apiKeyId: '',
    securityLevel: isCortexVendor(vendor) ? 'standard' : '',
    username: '',
    password: '',
  };
}

/** An existing instance in the form: secrets stay empty, the page never receives them. */
export function formFromView(view: InstanceView): FormValues {
  return {
    ...emptyForm(view.vendor),
    name: view.name,
    url: view.url ?? defaultUrl(view.vendor) ?? '',
    apiKeyId: view.apiKeyId ?? '',
    securityLevel: view.securityLevel ?? (isCortexVendor(view.vendor) ? 'standard' : ''),
    username: view.username ?? '',
  };
}

/** Switching vendor keeps what was typed, but swaps a vendor's default URL for the new one's. */
export function changeVendor(values: FormValues, vendor: VendorId): FormValues {
  const oldDefault = isVendorId(values.vendor) ? defaultUrl(values.vendor) : undefined;
  const url = !values.url || values.url === oldDefault ? (defaultUrl(vendor) ?? '') : values.url;
  const securityLevel = isCortexVendor(vendor) ? values.securityLevel || 'standard' : '';
  return { ...values, vendor, url, securityLevel };
}

/**
 * The `instances:save` payload: the vendor's fields only, trimmed, empty ones left out — so an
 * empty secret on edit keeps the stored one while vendor and URL origin stay (lib/messages.ts).
 * Secrets are not trimmed: a key is sent exactly as pasted.
 */
export function buildInstance(values: FormValues): Record<string, string> {
  const vendor = values.vendor as VendorId;
  const instance: Record<string, string> = { name: values.name.trim(), vendor };
  for (const field of VENDOR_FORMS[vendor].fields) {
    const value = isSecret(field) ? values[field] : values[field].trim();
    if (value) instance[field] = value;
  }
  return instance;
}

function isSecret(field: FieldName): field is SecretField {
  return (SECRET_FIELDS as readonly string[]).includes(field);
}

/** Whether an empty secret field on save keeps the stored secret: only for the same vendor, URL, username and key id. */
export function keepsStoredSecret(values: FormValues, editing: InstanceView | undefined, field: SecretField): boolean {
  return !!editing?.has[field] && isVendorId(values.vendor) && mayReuseSecrets(editing, buildInstance(values));
}

export interface ValidateOptions {
  /** The instance being edited: its stored secrets count as present while they stay in use. */
  editing?: InstanceView;
  /** Names already configured; the edited instance's own name is allowed. */
  existingNames: readonly string[];
}

/**
 * Client-side checks with the very schema the background and CLI apply (lib/config.ts), so the
 * form never accepts what the save would reject. Stored secrets stand in for empty secret fields
 * while vendor and URL origin are unchanged, as in the background (ext/stored-secrets.ts).
 */
export function validateForm(values: FormValues, { editing, existingNames }: ValidateOptions): FieldErrors {
  if (!isVendorId(values.vendor)) return { vendor: t('options_chooseVendor') };
  const instance: Record<string, string> = buildInstance(values);
  const fields = VENDOR_FORMS[values.vendor].fields;
  const withheld = new Set<SecretField>();
  for (const secret of SECRET_FIELDS) {
    if (instance[secret] || !editing?.has[secret] || !fields.includes(secret)) continue;
    if (keepsStoredSecret(values, editing, secret)) instance[secret] = 'stored';
    else withheld.add(secret);
  }
  const errors: FieldErrors = {};
  const result = instanceSchema.safeParse(instance);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = fieldOf(issue.path[0]);
      if (!field || errors[field]) continue;
      const message = isSecret(field) && withheld.has(field) ? notReusedMessage(field) : issue.message;
      errors[field] = fieldError(field, message);
    }
  }
  // "core.example:8008" parses as a URL with scheme "core.example:"; say what is really missing.
  const url = values.url.trim();
  if (url && fields.includes('url') && !/^https?:\/\//i.test(url))
    errors.url = t('options_urlScheme', VENDOR_FORMS[values.vendor].urlPlaceholder);
  const name = values.name.trim();
  if (!errors.name && name !== editing?.name && existingNames.includes(name))
    errors.name = t('options_nameUsed', name);
  return errors;
}

/** Maps a problem path from the background ("url", "instance.url", "instances[2].apiKey") to a form field. */
export function fieldOf(path: PropertyKey | undefined): FieldName | undefined {
  if (typeof path !== 'string') return undefined;
  const last = path.split(/[.[\]]/).filter(Boolean).pop();
  return FIELD_NAMES.find((field) => field === last);
}

/** A non-blocking hint: a Cortex console URL where the API URL belongs is the usual mistake (docs/contract.md#cortex-xsoar-xsiam-and-xdr). */
export function urlHint(values: FormValues): string | undefined {
  if (!isCortexVendor(values.vendor)) return undefined;
  let host: string;
  try {
    host = new URL(values.url.trim()).hostname;
  } catch {
    return undefined;
  }
  if (host.startsWith('api-') || !isDomainName(host)) return undefined;
  return t('options_xsoarUrlHint', host);
}

/**
 * `options.html#add?url=<encoded>&vendor=<id>`: the console button opens the add form this way for
 * a console that is not configured yet. Returns null for any other hash.
 */
export function parseAddHash(hash: string): FormValues | null {
  const match = /^#?add(?:\?(.*))?$/.exec(hash);
  if (!match) return null;
  const params = new URLSearchParams(match[1] ?? '');
  const vendor = params.get('vendor') ?? '';
  const values = emptyForm(isVendorId(vendor) ? vendor : undefined);
  const url = params.get('url');
  if (!url) return values;
  // The button hands over the page it sits on; the instance is that page's origin, and for an
  // XSOAR console the API host beside it (docs/contract.md#cortex-xsoar-xsiam-and-xdr).
  const origin = normalizeOrigin(url);
  if (!origin) values.url = url;
  else values.url = isCortexVendor(values.vendor) && isDomainName(new URL(origin).hostname) ? xsoarApiOrigin(origin) : origin;
  return values;
}

/** Bare names and IP addresses are test or lab hosts where XSOAR's api- convention need not hold. */
function isDomainName(host: string): boolean {
  return /[a-z]/i.test(host) && host.includes('.') && !host.startsWith('[');
}
