import { parseConfig, type ResolvedInstance } from '../../lib/config';
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
  /** Readable while locked: no secrets. */
  listPublic(): Promise<PublicInstance[]>;
  /** Validated with the shared config schema; throws LockedError when the secrets are sealed and locked. */
  loadResolved(): Promise<ResolvedInstance[]>;
  /** Read-modify-write of the whole list; `change` may throw (e.g. ConfigError) and then nothing is written. */
  update(change: (current: ResolvedInstance[]) => ResolvedInstance[]): Promise<void>;
  setPassphrase(passphrase: string): Promise<void>;
  unlock(passphrase: string): Promise<void>;
  lock(): Promise<void>;
  removePassphrase(passphrase: string): Promise<void>;
}

export function createInstanceStore({ iterations = DEFAULT_ITERATIONS }: { iterations?: number } = {}): InstanceStore {
  const exclusive = createMutex();

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
    const config = parseConfig({ instances: stored.instances.map((inst) => ({ ...inst, ...opened.secrets[inst.name] })) }, 'Stored instances');
    return { instances: config.instances.map(withStringSecrets), key: opened.key };
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
      return (await readStoredInstances()).instances;
    },

    async loadResolved() {
      return (await readResolved()).instances;
    },

    update(change) {
      return exclusive(async () => {
        const { instances, key } = await readResolved();
        await write(change(instances), key);
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
        const { value } = await unlock(stored.secrets.box, passphrase);
        await writeStoredInstances({ ...stored, secrets: { kind: 'plain', byName: secretsByNameSchema.parse(value) } });
        await unlockedKeyItem.removeValue();
      });
    },
  };
}
