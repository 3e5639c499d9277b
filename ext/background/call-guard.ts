import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import { z } from 'zod';
import { baseUrl, type ResolvedInstance } from '../../lib/config';
import { InstanceError } from '../../lib/apis/errors';
import type { FetchLike } from '../../lib/apis/http';
import type { InstanceResult, InventoryOptions } from '../../lib/inventory';
import { normalizeOrigin } from '../../lib/origins';
import { isGrantedOrigin } from './sessions';

/**
 * Instances whose stored credential a vendor refused (docs/contract.md#parked-credentials): storage.local, so a
 * restarted worker, the 6-hourly alarm and the next browser session do not send it again —
 * MetaDefender Cloud blocks the IP after repeated wrong keys and consoles lock accounts.
 */
export const parkedItem = storage.defineItem<string[]>('local:parked', { fallback: [] });

export async function readParked(): Promise<ReadonlySet<string>> {
  return new Set(z.array(z.string()).safeParse(await parkedItem.getValue()).data ?? []);
}

/** Parks (`true`) or unparks the named instances in one write. */
export async function setParked(names: readonly string[], parked: boolean): Promise<void> {
  const current = await readParked();
  const next = parked ? new Set([...current, ...names]) : new Set([...current].filter((n) => !names.includes(n)));
  if (next.size !== current.size) await parkedItem.setValue([...next]);
}

/** After a read: a stored credential the vendor refused is parked (a console session is the sessions' business). */
export async function parkIfRefused(inst: ResolvedInstance, result: InstanceResult): Promise<void> {
  if (result.error?.kind === 'auth' && !inst.sessionToken) await setParked([inst.name], true);
}

const PARKED = 'its credential was refused, so it is not sent again until you edit or re-test the instance in the options page';

/** How many times the browser reported grants removed: a grant seen before the last removal is asked for again. */
let removals = 0;

/**
 * Every vendor call of the extension goes through this fetch, checked right before it is sent:
 * never a credential the browser has no grant for (an import's refresh before the grant, a stored
 * URL changed behind our back), a refused stored secret or a parked credential.
 */
export function guardedInventory(options: InventoryOptions | undefined, refused: () => ReadonlyMap<string, string>): InventoryOptions {
  // A grant taken back anywhere (the browser's extension settings, permissions.remove) fires this.
  browser.permissions.onRemoved.addListener(() => void removals++);
  return {
    ...options,
    fetchFor: (instance) => {
      const stop = (kind: 'unsupported' | 'network', detail: string) => new InstanceError(instance.name, instance.vendor, kind, detail);
      // Thrown before the adapter runs, so the user reads why the secret is missing, not just that it is.
      const why = refused().get(instance.name);
      if (why !== undefined) throw stop('unsupported', why);
      const inner: FetchLike = options?.fetchFor?.(instance) ?? ((input, init) => globalThis.fetch(input, init));
      // One look per read: a credential is parked only when a read ends (refused) and unparked by
      // the user, so the read's first call sees what every later one would. (100,000 keys are
      // 1,000 calls: a storage read before each, docs/benchmarks.md#budgets.)
      let parked: Promise<boolean> | undefined;
      // A grant asked for once per read and origin, and again before the next call once any grant
      // was removed since it was asked: a grant revoked during a read stops its next call as
      // surely as asking before every call did, without a browser round trip per page (1,000
      // calls for 100,000 keys, docs/benchmarks.md#budgets).
      const grants = new Map<string, { removals: number; granted: Promise<boolean> }>();
      return async (input, init) => {
        // A console session belongs to the console it was seen on, not to the parked stored credential.
        if (!instance.sessionToken && (await (parked ??= readParked().then((names) => names.has(instance.name))))) throw stop('unsupported', PARKED);
        const origin = normalizeOrigin(String(input)) ?? normalizeOrigin(baseUrl(instance));
        let grant = origin === undefined ? undefined : grants.get(origin);
        if (origin !== undefined && grant?.removals !== removals) grants.set(origin, (grant = { removals, granted: isGrantedOrigin(origin) }));
        const granted = grant !== undefined && (await grant.granted);
        if (!granted) throw stop('network', `KeyAtlas has no permission for ${origin ?? 'this URL'}: grant it in the options page (Save asks for it)`);
        // Never the browser's HTTP cache: the replies hold key values, and it is always a fresh read.
        return inner(input, { ...init, cache: 'no-store' });
      };
    },
  };
}
