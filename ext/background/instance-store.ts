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
  readStoredInstances,
  readUnlockedKey,
  secretsByNameSchema,
  unlockedKeyItem,
  writeStoredInstances,
  type PublicInstance,
  type SecretsByName,
  type StoredInstances,
} from '../storage';
import { readManagedPolicy } from '../managed';
import { secretsOf, withStringSecrets } from './instance-input';
import { createMutex } from './mutex';

// One text for every place that meets the lock, a console page included: it says where to unlock.
export const LOCKED_ERROR = 'KeyAtlas is locked: open the KeyAtlas popup and unlock it with your passphrase.';

export class LockedError extends Error {
  constructor() {
    super(LOCKED_ERROR);
    this.name = 'LockedError';
  }
}

export const PASSPHRASE_REQUIRED = 'Your organisation requires a passphrase: set one under Lock before saving credentials.';

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
   * locked. A managed instance whose credential the user has not added yet is left out.
   */
  loadResolved(): Promise<ResolvedInstance[]>;
  /**
   * Read-modify-write of the whole list; `change` may throw (e.g. ConfigError) and then nothing is
   * written. Managed instances keep the policy's fields (only their credential changes) and cannot
   * be removed (ManagedSettingError).
   */
  update(change: (current: ResolvedInstance[]) => ResolvedInstance[]): Promise<void>;
  setPassphrase(passphrase: string): Promise<void>;
  unlock(passphrase: string): Promise<void>;
  lock(): Promise<void>;
  removePassphrase(passphrase: string): Promise<void>;
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

  /** The secrets, or null when they are sealed and no (fitting) key is in the session. */
  async function openSecrets(stored: StoredInstances): Promise<{ secrets: SecretsByName; key: LockKey | null } | null> {
    if (stored.secrets.kind === 'plain') return { secrets: stored.secrets.byName, key: null };
    const key = await sessionKey();
    if (!key) return null;
    try {
      return { secrets: secretsByNameSchema.parse(await open(stored.secrets.box, key.key)), key };
    } catch (error) {
      if (!(error instanceof WrongPassphraseError)) throw error;
      // A session key from before a passphrase change: it opens nothing, so drop it.
      await unlockedKeyItem.removeValue();
      return null;
    }
  }

  async function readResolved(): Promise<{ instances: ResolvedInstance[]; key: LockKey | null }> {
    const stored = await readStoredInstances();
    const opened = await openSecrets(stored);
    if (!opened) throw new LockedError();
    const managed = await managedInstances();
    const merged = withManagedInstances(
      stored.instances.map((inst) => ({ ...inst, ...opened.secrets[inst.name] })),
      managed,
    ).filter((inst, index) => index >= managed.length || instanceSchema.safeParse(inst).success);
    const config = parseConfig({ instances: merged }, 'Stored instances');
    return { instances: config.instances.map(withStringSecrets), key: opened.key };
  }

  /** The policy's say over a changed list: nothing managed disappears, nothing but credentials changes. */
  async function underPolicy(before: readonly ResolvedInstance[], after: ResolvedInstance[]): Promise<ResolvedInstance[]> {
    const managed = await managedInstances();
    const kept = new Set(after.map((inst) => inst.name));
    const removed = managed.find((inst) => before.some((b) => b.name === inst.name) && !kept.has(inst.name));
    if (removed) throw new ManagedSettingError(`${removed.name} is set by your organisation's policy and cannot be removed.`);
    // Ones still without a credential stay out of the stored list until the user adds it.
    return withManagedInstances(after, managed.filter((inst) => kept.has(inst.name))) as ResolvedInstance[];
  }

  /** Splits secrets off and seals them with `key` when given; validates everything before the one write. */
  async function write(instances: readonly ResolvedInstance[], key: LockKey | null): Promise<void> {
    const config = parseConfig({ instances: instances.map(({ sessionToken: _session, ...inst }) => inst) }, 'Instances');
    const byName: SecretsByName = {};
    const publics = config.instances.map(withStringSecrets).map(({ apiKey, password, ...pub }) => {
      const secrets = secretsOf({ apiKey, password });
      if (Object.keys(secrets).length) byName[pub.name] = secrets;
      return pub;
    });
    if (!key && Object.keys(byName).length && (await policy()).requirePassphrase) throw new ManagedSettingError(PASSPHRASE_REQUIRED);
    await writeStoredInstances({
      instances: publics,
      secrets: key ? { kind: 'sealed', box: await seal(key, byName) } : { kind: 'plain', byName },
    });
  }

  return {
    async lockState() {
      const stored = await readStoredInstances();
      if (stored.secrets.kind === 'plain') return { hasPassphrase: false, locked: false };
      return { hasPassphrase: true, locked: !(await openSecrets(stored)) };
    },

    async listPublic() {
      const managed = await managedInstances();
      const names = new Set(managed.map((inst) => inst.name));
      return withManagedInstances((await readStoredInstances()).instances, managed).map((inst) =>
        names.has(inst.name) ? { ...(inst as PublicInstance), managed: true as const } : (inst as PublicInstance),
      );
    },

    async loadResolved() {
      return (await readResolved()).instances;
    },

    update(change) {
      return exclusive(async () => {
        const { instances, key } = await readResolved();
        await write(await underPolicy(instances, change(instances)), key);
      });
    },

    setPassphrase(passphrase) {
      return exclusive(async () => {
        // Setting a new one while a passphrase exists changes it, which needs the secrets open.
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
        if ((await policy()).requirePassphrase) throw new ManagedSettingError('Your organisation requires a passphrase: it can be changed but not removed.');
        const { value } = await unlock(stored.secrets.box, passphrase);
        await writeStoredInstances({ ...stored, secrets: { kind: 'plain', byName: secretsByNameSchema.parse(value) } });
        await unlockedKeyItem.removeValue();
      });
    },
  };
}
