import type { ResolvedInstance } from '../../lib/config';
import type { InventoryOptions } from '../../lib/inventory';
import { readRefreshing, refreshingItem, type RefreshCheckpoint } from '../storage';
import { failure, type Failure } from './failure';
import type { InstanceStore } from './instance-store';
import { withKeepAlive } from './keep-alive';
import { createMutex } from './mutex';
import { readAndCache } from './read';
import { t } from '../i18n';

export interface Refresher {
  /** Reads the named instances (default: all) into the cache; resolves when the run is over. */
  refresh(names?: readonly string[]): Promise<{ ok: true } | Failure>;
  /** At worker start: finishes a run a previous worker left half done, reading only what it did not finish. */
  resume(): Promise<void>;
  /** Runs `section` (an export's read) between refreshes, never alongside one: no instance is called twice at once. */
  exclusive<T>(section: () => Promise<T>): Promise<T>;
}

export interface RefresherDeps {
  store: InstanceStore;
  /** After every run: the badge follows the cache. */
  afterRun: () => Promise<void>;
  inventory?: InventoryOptions;
}

export function createRefresher({ store, afterRun, inventory }: RefresherDeps): Refresher {
  // One run at a time; the checkpoint in storage.session is the state that matters, this is only ordering.
  const serial = createMutex();
  let running: { scope: ReadonlySet<string> | null; result: Promise<{ ok: true } | Failure> } | undefined;

  async function run(instances: readonly ResolvedInstance[], checkpoint: RefreshCheckpoint): Promise<void> {
    const progress = createMutex();
    let { done } = checkpoint;
    const remaining = new Set(checkpoint.remaining);
    await refreshingItem.setValue(checkpoint);
    try {
      await withKeepAlive(() =>
        readAndCache(instances, {
          inventory,
          onInstanceDone: (name) =>
            progress(async () => {
              remaining.delete(name);
              done++;
              await refreshingItem.setValue({ done, total: checkpoint.total, remaining: [...remaining] });
            }),
        }),
      );
    } finally {
      // Only a dead worker may leave the checkpoint behind: a run that threw is over, and a
      // checkpoint left over would show "Refreshing…" until some later worker start resumes it.
      await refreshingItem.removeValue();
    }
    await afterRun();
  }

  async function start(names: readonly string[] | undefined): Promise<{ ok: true } | Failure> {
    let instances: ResolvedInstance[];
    try {
      instances = await store.loadResolved();
    } catch (error) {
      return failure(error);
    }
    const unknown = names?.find((name) => !instances.some((inst) => inst.name === name));
    if (unknown !== undefined) return { ok: false, error: t('error_noSuchInstance', unknown) };
    if (names) instances = instances.filter((inst) => names.includes(inst.name));
    await run(instances, { done: 0, total: instances.length, remaining: instances.map((inst) => inst.name) });
    return { ok: true };
  }

  return {
    exclusive: (section) => serial(section),

    refresh(names) {
      // A click while the same (or a wider) run is going joins it instead of reading everything twice.
      if (running && (running.scope === null || (names?.every((name) => running!.scope!.has(name)) ?? false))) return running.result;
      const entry: { scope: ReadonlySet<string> | null; result: Promise<{ ok: true } | Failure> } = {
        scope: names ? new Set(names) : null,
        // Cleared before anyone waiting sees the run end: a refresh asked for right after must
        // start a new run, not join the finished one.
        result: serial(() => start(names)).finally(() => {
          if (running === entry) running = undefined;
        }),
      };
      running = entry;
      return entry.result;
    },

    async resume() {
      const checkpoint = await readRefreshing();
      if (!checkpoint) return;
      let instances: ResolvedInstance[];
      try {
        instances = await store.loadResolved();
      } catch {
        // Locked (or unreadable): nothing can be read now; the next refresh starts afresh.
        await refreshingItem.removeValue();
        return;
      }
      // Instances removed since the checkpoint drop out.
      const todo = instances.filter((inst) => checkpoint.remaining.includes(inst.name));
      await serial(() => run(todo, { done: checkpoint.done, total: checkpoint.done + todo.length, remaining: todo.map((inst) => inst.name) }));
    },
  };
}
