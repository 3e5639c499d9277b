import { instanceSchema, parseConfig, type ResolvedInstance } from '../../lib/config';
import { ManagedSettingError, withManagedInstances, type ManagedPolicy } from '../../lib/managed';
import {
  DEFAULT_ITERATIONS,
  exportLockKey,
  importLockKey,
  newLockKey,
  open,
  seal,
  unlock,
  WrongPassphraseError,
  type LockKey,
} from '../../lib/lock';
import {
  boundSecretsByNameSchema,
  readStoredInstances,
  readUnlockedKey,
  unlockedKeyItem,
  writeStoredInstances,
  type BoundSecretsByName,
  type PublicInstance,
  type SecretsByName,
  type StoredInstances,
} from '../storage';
import { readManagedPolicy } from '../managed';
import { bindingOf, REFUSED_SECRET, sameBinding, UNSEALED_UNDER_POLICY } from '../stored-secrets';
import { secretsOf, withStringSecrets } from './instance-input';
import { createMutex } from './mutex';
import { t } from '../i18n';

// One text for every place that meets the lock, a console page included: it says where to unlock.
export const lockedText = () => t('error_locked');

export class LockedError extends Error {
  constructor() {
    super(lockedText());
    this.name = 'LockedError';
  }
}

/** docs/contract.md#storage: a passphrase has at least this many characters. */
export const MIN_PASSPHRASE = 12;

export interface LockState {
  hasPassphrase: boolean;
  locked: boolean;
}

/**
 * The configured instances and their secrets, sealed under the passphrase when one is set. The
 * unlocked key lives only in storage.session, so a restarted worker stays unlocked until the
 * browser closes, and nothing in memory matters.
 */
export interface InstanceStore {
  lockState(): Promise<LockState>;
  /** Readable while locked: no secrets. The policy's instances first, marked `managed`. */
  listPublic(): Promise<(PublicInstance & { managed?: true })[]>;
  /**
   * Validated with the shared config schema; throws LockedError when the secrets are sealed and
   * locked. A managed instance whose credential the user has not added yet is left out; an instance
   * whose sealed secret was bound to other data comes without its secrets.
   */
  loadResolved(): Promise<ResolvedInstance[]>;
  /**
   * Instances whose stored secret is not sent, and why (at the last read): it was saved for
   * another vendor, origin, username or key id, or it is unsealed while the policy requires a passphrase.
   */
  refusedSecrets(): ReadonlyMap<string, string>;
  /**
   * Read-modify-write of the whole list; `change` may throw (e.g. ConfigError) and then nothing is
   * written. Managed instances keep the policy's fields (only their credential changes) and cannot
   * be removed (ManagedSettingError).
   */
  update(change: (current: ResolvedInstance[]) => ResolvedInstance[]): Promise<void>;
  /** `current` must open the box when a passphrase is set: an unlocked browser alone cannot re-key. */
  setPassphrase(passphrase: string, current?: string): Promise<void>;
  unlock(passphrase: string): Promise<void>;
  lock(): Promise<void>;
  removePassphrase(passphrase: string): Promise<void>;
  /** Throws WrongPassphraseError unless `passphrase` opens the sealed secrets; nothing to check without one. */
  verifyPassphrase(passphrase: string | undefined): Promise<void>;
}

export function createInstanceStore({
  iterations = DEFAULT_ITERATIONS,
  policy = async () => (await readManagedPolicy()).policy,
}: { iterations?: number; policy?: () => Promise<ManagedPolicy> } = {}): InstanceStore {
  const exclusive = createMutex();

  async function managedInstances() {
    return (await policy()).instances ?? [];
  }

  async function sessionKey(): Promise<LockKey | null> {
    const stored = await readUnlockedKey();
    return stored && importLockKey(stored);
  }

  let refused: ReadonlyMap<string, string> = new Map();

  /**
   * The secrets, each with what it was saved for, or null when they are sealed and no (fitting) key
   * is in the session. Unsealed ones are bound too: not against whoever can write storage (they can
   * read them as well), but so that a policy instance of the same name, with its own URL, does not
   * inherit them.
   */
  async function openSecrets(stored: StoredInstances): Promise<{ bound: BoundSecretsByName; key: LockKey | null } | null> {
    if (stored.secrets.kind === 'plain') return { bound: plainBound(stored.instances, stored.secrets.byName), key: null };
    const key = await sessionKey();
    if (!key) return null;
    let value: unknown;
    try {
      value = await open(stored.secrets.box, key.key);
    } catch (error) {
      if (!(error instanceof WrongPassphraseError)) throw error;
      // A session key from before a passphrase change: it opens nothing, so drop it.
      await unlockedKeyItem.removeValue();
      return null;
    }
    // A v1 box bound its secrets to names only: nothing says which host they were for, so each
    // is refused (the user re-enters it) rather than trusted to whatever URL storage now holds.
    const bound = stored.secrets.box.v === 1 ? {} : boundSecretsByNameSchema.parse(value);
    return { bound, key };
  }

  async function readResolved(): Promise<{ instances: ResolvedInstance[]; key: LockKey | null }> {
    const stored = await readStoredInstances();
    const opened = await openSecrets(stored);
    if (!opened) throw new LockedError();
    const { instances: managed = [], requirePassphrase } = await policy();
    const refusedNow = new Map<string, string>();
    // The policy's fields first, so a secret is checked against the instance it would be sent to.
    const merged = withManagedInstances(stored.instances, managed)
      .map((inst) => {
        const entry = opened.bound[inst.name];
        if (entry && sameBinding(entry.for, bindingOf(inst as PublicInstance))) {
          // Kept (setting a passphrase seals it), but not sent while the policy wants it sealed.
          if (requirePassphrase && stored.secrets.kind === 'plain') refusedNow.set(inst.name, UNSEALED_UNDER_POLICY);
          return { ...inst, ...secretsOf(entry) };
        }
        if (entry || stored.secrets.kind === 'sealed') refusedNow.set(inst.name, REFUSED_SECRET);
        return inst;
      })
      // A managed instance still without its credential stays out until the user adds it.
      .filter((inst, index) => index >= managed.length || (refusedNow.get(inst.name) !== REFUSED_SECRET && instanceSchema.safeParse(inst).success));
    // A refused instance stays listed without secrets; the schema would reject it for lacking them.
    const checked = parseConfig({ instances: merged.filter((inst) => !isRefusedAndBare(inst, refusedNow)) }, 'Stored instances').instances.map(withStringSecrets);
    refused = refusedNow;
    return { instances: merged.map((inst) => (isRefusedAndBare(inst, refusedNow) ? (inst as ResolvedInstance) : checked.shift()!)), key: opened.key };
  }

  /** The policy's say over a changed list: nothing managed disappears, nothing but credentials changes. */
  async function underPolicy(before: readonly ResolvedInstance[], after: ResolvedInstance[]): Promise<ResolvedInstance[]> {
    const managed = await managedInstances();
    const kept = new Set(after.map((inst) => inst.name));
    const removed = managed.find((inst) => before.some((b) => b.name === inst.name) && !kept.has(inst.name));
    if (removed) throw new ManagedSettingError(t('error_managedNoRemove', removed.name));
    // Ones still without a credential stay out of the stored list until the user adds it.
    return withManagedInstances(after, managed.filter((inst) => kept.has(inst.name))) as ResolvedInstance[];
  }

  /** Splits secrets off and seals them, each bound to its instance, with `key` when given; validates everything before the one write. */
  async function write(instances: readonly ResolvedInstance[], key: LockKey | null): Promise<void> {
    const bare = instances.filter((inst) => isRefusedAndBare(inst, refused));
    const config = parseConfig({ instances: instances.filter((inst) => !bare.includes(inst)).map(({ sessionToken: _session, ...inst }) => inst) }, 'Instances');
    const checked = config.instances.map(withStringSecrets);
    const bound: BoundSecretsByName = {};
    const publics = instances.map((inst) => {
      const { apiKey, password, sessionToken: _session, ...pub } = bare.includes(inst) ? inst : checked.shift()!;
      const secrets = secretsOf({ apiKey, password });
      if (Object.keys(secrets).length) bound[pub.name] = { ...secrets, for: bindingOf(pub) };
      return pub;
    });
    if (!key && Object.keys(bound).length && (await policy()).requirePassphrase) throw new ManagedSettingError(t('error_passphraseRequired'));
    await writeStoredInstances({
      instances: publics,
      secrets: key ? { kind: 'sealed', box: await seal(key, bound) } : { kind: 'plain', byName: bound },
    });
  }

  /** The secrets opened with `passphrase` itself (not the session key); throws WrongPassphraseError. */
  async function openWith(stored: StoredInstances, passphrase: string | undefined): Promise<LockKey | null> {
    if (stored.secrets.kind === 'plain') return null;
    if (passphrase === undefined) throw new WrongPassphraseError();
    return (await unlock(stored.secrets.box, passphrase)).lock;
  }

  return {
    async lockState() {
      const stored = await readStoredInstances();
      if (stored.secrets.kind === 'plain') return { hasPassphrase: false, locked: false };
      return { hasPassphrase: true, locked: !(await openSecrets(stored)) };
    },

    async listPublic() {
      // Both reads at once: every popup message waits for this list.
      const [managed, stored] = await Promise.all([managedInstances(), readStoredInstances()]);
      const names = new Set(managed.map((inst) => inst.name));
      return withManagedInstances(stored.instances, managed).map((inst) =>
        names.has(inst.name) ? { ...(inst as PublicInstance), managed: true as const } : (inst as PublicInstance),
      );
    },

    async loadResolved() {
      return (await readResolved()).instances;
    },

    refusedSecrets: () => refused,

    async verifyPassphrase(passphrase) {
      await openWith(await readStoredInstances(), passphrase);
    },

    update(change) {
      return exclusive(async () => {
        const { instances, key } = await readResolved();
        await write(await underPolicy(instances, change(instances)), key);
      });
    },

    setPassphrase(passphrase, current) {
      return exclusive(async () => {
        if (passphrase.length < MIN_PASSPHRASE) throw new Error(t('error_passphraseTooShort', MIN_PASSPHRASE));
        // Changing a passphrase needs the current one, not just an unlocked browser.
        await openWith(await readStoredInstances(), current);
        const { instances } = await readResolved();
        const key = await newLockKey(passphrase, iterations);
        await write(instances, key);
        await unlockedKeyItem.setValue(await exportLockKey(key));
      });
    },

    unlock(passphrase) {
      return exclusive(async () => {
        const stored = await readStoredInstances();
        if (stored.secrets.kind === 'plain') return;
        // Throws WrongPassphraseError and leaves storage as it was.
        const { lock } = await unlock(stored.secrets.box, passphrase);
        await unlockedKeyItem.setValue(await exportLockKey(lock));
      });
    },

    async lock() {
      await unlockedKeyItem.removeValue();
    },

    removePassphrase(passphrase) {
      return exclusive(async () => {
        const stored = await readStoredInstances();
        if (stored.secrets.kind === 'plain') return;
        if ((await policy()).requirePassphrase) throw new ManagedSettingError(t('error_passphraseKept'));
        const lock = await openWith(stored, passphrase);
        await unlockedKeyItem.setValue(await exportLockKey(lock!));
        // Through readResolved: only secrets still bound to their instance become plain.
        const { instances } = await readResolved();
        await write(instances, null);
        await unlockedKeyItem.removeValue();
      });
    },
  };
}

/** Unsealed secrets with what they were saved for; in lists from before the binding, the stored instance of that name. */
function plainBound(instances: readonly PublicInstance[], byName: SecretsByName): BoundSecretsByName {
  const bound: BoundSecretsByName = {};
  for (const [name, { for: savedFor, ...secrets }] of Object.entries(byName)) {
    const inst = instances.find((i) => i.name === name);
    const binding = savedFor ?? (inst && bindingOf(inst));
    if (binding) bound[name] = { ...secrets, for: binding };
  }
  return bound;
}

function isRefusedAndBare(inst: { name: string; apiKey?: unknown; password?: unknown }, refused: ReadonlyMap<string, string>): boolean {
  return refused.has(inst.name) && inst.apiKey === undefined && inst.password === undefined;
}
