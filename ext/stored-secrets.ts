import { defaultUrl } from '../lib/config';
import { normalizeOrigin } from '../lib/origins';
import { isVendorId } from '../lib/vendors';
import type { SecretBinding } from './storage';

type Target = { vendor?: unknown; url?: unknown; username?: unknown; apiKeyId?: unknown };

/**
 * Whether secrets a save or import leaves out may be taken from the stored instance of that name:
 * only while vendor, URL (origin and path), username and key id are unchanged. Otherwise a shared
 * config pointing the name at another host or at another app behind the same reverse proxy, an
 * edit turning a Vault into an XSOAR, or one password tried under another user name would send the
 * stored secret where it was never meant to go. `given` is unvalidated input; anything unusable in
 * it counts as changed.
 */
export function mayReuseSecrets(stored: Target, given: Target): boolean {
  const target = targetOf(stored);
  return target !== undefined && target === targetOf(given) && pathOf(stored) === pathOf(given) && stored.username === given.username && keyIdOf(stored) === keyIdOf(given);
}

/** The URL's path without trailing slashes (`https://proxy/core/` and `…/core` are one console). */
function pathOf({ vendor, url }: Target): string | undefined {
  const full = typeof url === 'string' ? url : isVendorId(vendor) ? defaultUrl(vendor) : undefined;
  try {
    return full === undefined ? undefined : new URL(full).pathname.replace(/\/+$/, '');
  } catch {
    return undefined;
  }
}

/** A key id as the schema keeps it: digits, as text. */
function keyIdOf({ apiKeyId }: Target): string | undefined {
  return typeof apiKeyId === 'number' ? String(apiKeyId) : typeof apiKeyId === 'string' ? apiKeyId : undefined;
}

/** Why a secret field is empty although the instance had one stored. */
export function notReusedMessage(field: 'apiKey' | 'password'): string {
  return `is required: the URL, vendor, username or key id changed, so the stored ${field === 'apiKey' ? 'key' : 'password'} is not reused`;
}

function targetOf({ vendor, url }: Target): string | undefined {
  if (!isVendorId(vendor) || (url !== undefined && typeof url !== 'string')) return undefined;
  // An omitted URL is the vendor's default (MetaDefender Cloud), as the adapters see it.
  const full = url ?? defaultUrl(vendor);
  const origin = full === undefined ? undefined : normalizeOrigin(full);
  return origin && `${vendor} ${origin}`;
}

/**
 * What a sealed secret is bound to (docs/contract.md#trust-boundaries ()"): whoever can write
 * storage.local can change the public instance list, but not this copy sealed with the secret.
 */
export function bindingOf(inst: { name: string; vendor: string; url?: string; username?: string; apiKeyId?: string }): SecretBinding {
  return {
    name: inst.name,
    vendor: inst.vendor,
    origin: targetOf(inst) ?? '',
    ...(inst.username !== undefined ? { username: inst.username } : {}),
    ...(inst.apiKeyId !== undefined ? { keyId: inst.apiKeyId } : {}),
  };
}

export function sameBinding(a: SecretBinding, b: SecretBinding): boolean {
  return a.name === b.name && a.vendor === b.vendor && a.origin === b.origin && a.username === b.username && a.keyId === b.keyId;
}

/** Why a stored secret was refused; shown wherever it would have been used. */
export const REFUSED_SECRET =
  'its stored secret was saved for another vendor, URL, username or key id (the instance was changed outside KeyAtlas, or by your organisation’s policy), so it is not sent: re-enter it in the options page';

/** Why a secret saved before the organisation required a passphrase is not used. */
export const UNSEALED_UNDER_POLICY =
  'your organisation requires a passphrase and this credential is still stored unsealed, so it is not sent: set a passphrase in the options page (it seals the stored credentials)';
