import { msFromIso } from './utc-date';

/**
 * Whose key, is the owner still here, how old (docs/contract.md, "CSV and JSON formats"). Pure, so
 * the CSV's extended columns, the JSON formats, `summary`, the popup and the notifications agree.
 */

/** `active`/`inactive`: the owner is in the tenant's user list; `orphaned`: not; '' where the vendor gives no user list. */
export type OwnerState = 'active' | 'inactive' | 'orphaned' | '';

/** An owner listed but not logged in for this many days (or never) is `inactive`. */
export const INACTIVE_AFTER_DAYS = 90;

const DAY_MS = 86_400_000;

/** One user of a tenant's user list, as far as the vendor told. */
export interface TenantUser {
  email: string;
  role: string;
  /** ISO 8601 UTC, or '' for a user who never logged in. */
  lastLogin: string;
}

/**
 * A tenant's user list, looked up by the name a key carries as its owner (a user name or an email,
 * in any case). Only a list read whole (`complete`) says that a key missing from it is orphaned;
 * from a partial one, such a key's state stays unknown.
 */
export class OwnerDirectory {
  private readonly byName = new Map<string, TenantUser>();

  constructor(readonly complete = true) {}

  /** `names`: every name the user is known by (email, user name); empty ones are skipped. */
  add(names: readonly string[], user: TenantUser): void {
    for (const name of names) if (name.trim()) this.byName.set(name.trim().toLowerCase(), user);
  }

  find(owner: string): TenantUser | undefined {
    return this.byName.get(owner.trim().toLowerCase());
  }
}

/** The state of a key's owner at `now`: undefined `user` means the owner is not in the list. */
export function ownerStateOf(user: TenantUser | undefined, now: number): Exclude<OwnerState, ''> {
  if (!user) return 'orphaned';
  const login = user.lastLogin ? Date.parse(user.lastLogin) : NaN;
  return !Number.isNaN(login) && now - login < INACTIVE_AFTER_DAYS * DAY_MS ? 'active' : 'inactive';
}

/** Whole days since `created` (floor; a creation date ahead of the clock is 0 days old); null when unknown. */
export function ageDaysAt(created: string, now: number): number | null {
  return ageDaysSince(created ? msFromIso(created) : NaN, now);
}

/** ageDaysAt from the creation instant in ms (NaN: unknown), for loops over parsed dates. */
export function ageDaysSince(createdAt: number, now: number): number | null {
  return Number.isNaN(createdAt) ? null : Math.max(0, Math.floor((now - createdAt) / DAY_MS));
}

/** A key older than the rotation policy (`maxKeyAgeDays`); never when its age or the policy is unknown. */
export function olderThan(ageDays: number | null, maxKeyAgeDays: number | undefined): boolean {
  return ageDays !== null && maxKeyAgeDays !== undefined && ageDays > maxKeyAgeDays;
}

/** The owner fields of a KeyRecord (lib/record.ts), named here so that record.ts may import this module. */
export interface OwnerFields {
  owner: string;
  owner_state: OwnerState;
  owner_last_login: string;
  owner_email: string;
  owner_role: string;
}

/** Writes what the user list says of each key's owner into the records (the list was read whole). */
export function applyOwners(records: OwnerFields[], directory: OwnerDirectory, now: Date): void {
  const at = now.getTime();
  for (const r of records) {
    const user = directory.find(r.owner);
    r.owner_state = user || directory.complete ? ownerStateOf(user, at) : '';
    r.owner_last_login = user?.lastLogin ?? '';
    r.owner_email = user?.email ?? '';
    r.owner_role = user?.role ?? '';
  }
}
