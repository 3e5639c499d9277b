import { defaultUrl } from '../lib/config';
import { normalizeOrigin } from '../lib/origins';
import { isVendorId } from '../lib/vendors';
import type { SecretBinding } from './storage';

/**
 * Whether secrets a save or import leaves out may be taken from the stored instance of that name:
 * only while vendor and URL origin are unchanged. Otherwise a shared config pointing the name at
 * another host, or an edit turning a Vault into an XSOAR, would send the stored secret there.
 * `given` is unvalidated input; anything unusable in it counts as changed.
 */
export function mayReuseSecrets(stored: { vendor: string; url?: string }, given: { vendor?: unknown; url?: unknown }): boolean {
  const target = targetOf(stored);
  return target !== undefined && target === targetOf(given);
}

/** Why a secret field is empty although the instance had one stored. */
export function notReusedMessage(field: 'apiKey' | 'password'): string {
  return `is required: the URL or vendor changed, so the stored ${field === 'apiKey' ? 'key' : 'password'} is not reused`;
}

function targetOf({ vendor, url }: { vendor?: unknown; url?: unknown }): string | undefined {
  if (!isVendorId(vendor) || (url !== undefined && typeof url !== 'string')) return undefined;
  // An omitted URL is the vendor's default (MetaDefender Cloud), as the adapters see it.
  const full = url ?? defaultUrl(vendor);
  const origin = full === undefined ? undefined : normalizeOrigin(full);
  return origin && `${vendor} ${origin}`;
}

/**
 * What a sealed secret is bound to (SPEC §5 "Trust boundaries (second round)"): whoever can write
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

/** Why an instance's sealed secret was refused; shown wherever it would have been used. */
export const REFUSED_SECRET =
  'its stored secret was sealed for another vendor, URL, username or key id (the instance was changed outside KeyAtlas), so it is not sent: re-enter it in the options page';
