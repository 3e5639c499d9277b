import type { z } from 'zod';
import { ConfigError, type ResolvedInstance } from '../../lib/config';
import type { KeyMode } from '../../lib/key-mode';
import { readInstance, type InventoryOptions } from '../../lib/inventory';
import type { ExtensionProtocol, extensionRequestSchemas } from '../../lib/messages';
import { instanceForOrigin, normalizeOrigin } from '../../lib/origins';
import { sessionInstance } from '../../lib/session-capture';
import { notifySettingsItem, readCacheColumns, readNotifySettings, readRefreshing } from '../storage';
import { readAutoLock, type AutoLock } from './auto-lock';
import { cachedKeys, cachedView, forgetInstances, prepareKeySearch } from './cache';
import { parkIfRefused, readParked, setParked } from './call-guard';
import { exportConfig, importConfig } from './config-io';
import type { ExportOutcome } from './export';
import { settle } from './failure';
import { localSettingsItem, readSettings } from '../managed';
import { parseLocalChoices, rotationPolicy } from '../../lib/managed';
import { ensureRefreshAlarm } from './alarms';
import { parseOverStored, toView, withoutEmptySecrets } from './instance-input';
import { lockedText, type InstanceStore } from './instance-store';
import type { Refresher } from './refresh';
import type { ConsoleSessions } from './sessions';
import { t } from '../i18n';

export type PageType = keyof typeof extensionRequestSchemas;

type Request<K extends PageType> = z.infer<(typeof extensionRequestSchemas)[K]>;

/** One handler per extension-page message; `data` arrives already validated by the router. */
export type PageHandlers = {
  [K in PageType]: (data: Request<K>) => Promise<ReturnType<ExtensionProtocol[K]>>;
};

export interface HandlerDeps {
  store: InstanceStore;
  refresher: Refresher;
  /** `passphrase`: checked before key values are written (app.ts `runExport`); `evidence`: its manifest beside the CSV. */
  exportInstances(instances: ResolvedInstance[], options: { scope: string; keys: KeyMode; passphrase?: string; evidence?: boolean }): Promise<ExportOutcome>;
  /** After the instance list changed: badge, content-script registrations. */
  afterChange(): Promise<void>;
  inventory?: InventoryOptions;
  /** Live console sessions (docs/contract.md#console-sessions): which consoles, and exporting one with zero setup. */
  sessions: Pick<ConsoleSessions, 'list' | 'get'>;
  autoLock: Pick<AutoLock, 'set'>;
}

const NO_PASSPHRASE = 'No passphrase is set: set one first.';

export function createPageHandlers(deps: HandlerDeps): PageHandlers {
  const { store, refresher } = deps;

  async function find(name: string): Promise<ResolvedInstance> {
    const inst = (await store.loadResolved()).find((i) => i.name === name);
    if (!inst) throw new Error(t('error_noSuchInstance', name));
    return inst;
  }

  return {
    async 'state:get'() {
      // Every read at once, the cache's too: the popup's first render waits for this reply.
      const [lock, instances, refreshing, { settings }, parked, cache] = await Promise.all([
        store.lockState(),
        store.listPublic(),
        readRefreshing(),
        readSettings(),
        readParked(),
        readCacheColumns(),
      ]);
      const view = await cachedView(instances, new Date(), cache, rotationPolicy(settings));
      // Once this reply is on its way: the popup's first search should not pay for the search text.
      setTimeout(() => void prepareKeySearch().catch(() => undefined));
      return {
        ...lock,
        ...view,
        instances: view.instances.map((inst) => (parked.has(inst.name) ? { ...inst, parked: true } : inst)),
        refreshing: refreshing && { done: refreshing.done, total: refreshing.total },
        defaultKeyMode: settings.defaultKeyMode,
      };
    },

    async 'keys:view'(filter) {
      // Every read at once: a keystroke waits for them. The policy only matters to the rotation filter.
      const [instances, cache, settings] = await Promise.all([store.listPublic(), readCacheColumns(), filter.within === 'rotate' ? readSettings() : undefined]);
      return cachedKeys(instances, cache, { ...filter, maxKeyAgeDays: settings && rotationPolicy(settings.settings) }, new Date());
    },

    refresh: ({ instance }) =>
      settle(async () => {
        return await refresher.refresh(instance === undefined ? undefined : [instance]);
      }),

    export: ({ instance, keys, passphrase, evidence }) =>
      settle(async () => {
        const instances = instance === undefined ? await store.loadResolved() : [await find(instance)];
        return await deps.exportInstances(instances, { scope: instance ?? 'all', keys, passphrase, evidence });
      }),

    'notify:get': () => readNotifySettings(),

    'notify:set': (settings) =>
      settle(async () => {
        // Sorted and unique, so the memory of announced levels stays comparable between edits.
        await notifySettingsItem.setValue({ ...settings, days: [...new Set(settings.days)].sort((a, b) => b - a) });
        return { ok: true as const };
      }),

    'settings:get': () => readSettings(),

    'settings:set': (choices) =>
      settle(async () => {
        const valid = parseLocalChoices(choices, (await readSettings()).managed);
        await localSettingsItem.setValue({ ...(await localSettingsItem.getValue()), ...valid });
        // A new period takes effect now, not after the old one runs out.
        if (valid.refreshPeriodMinutes !== undefined) await ensureRefreshAlarm();
        return { ok: true as const };
      }),

    async 'sessions:list'() {
      const configured = await store.listPublic();
      return (await deps.sessions.list()).filter(({ origin }) => !instanceForOrigin(origin, configured));
    },

    'export:session': ({ origin, keys, passphrase }) =>
      settle(async () => {
        // Closed is closed, as for the console button: no export of any kind until the user unlocks.
        if ((await store.lockState()).locked) return { ok: false, error: lockedText() };
        const wanted = normalizeOrigin(origin);
        const live = wanted === undefined ? undefined : await deps.sessions.get(wanted);
        if (!wanted || !live) return { ok: false, error: t('error_noLiveSession', origin) };
        const configured = instanceForOrigin(wanted, await store.listPublic());
        if (configured) return { ok: false, error: t('error_sessionConfigured', wanted, configured.name) };
        const instance = sessionInstance(wanted, live.vendor, live.token);
        return await deps.exportInstances([instance], { scope: instance.name, keys, passphrase });
      }),

    async 'instances:list'() {
      // The secrets say which ones are set, so the list needs the lock open (the options page asks only then).
      // listPublic also has the managed instances still waiting for their credential.
      const [resolved, listed] = await Promise.all([store.loadResolved(), store.listPublic()]);
      const byName = new Map(resolved.map((inst) => [inst.name, inst]));
      return listed.map(({ managed, ...inst }) => ({ ...toView(byName.get(inst.name) ?? inst), ...(managed ? { managed } : {}) }));
    },

    'instances:save': ({ instance, originalName }) =>
      settle(async () => {
        const given = withoutEmptySecrets(instance);
        let previousName: string | undefined;
        let savedName = '';
        // A managed instance still waiting for its credential is not among the resolved ones yet.
        const managed = (await store.listPublic()).filter((inst) => inst.managed);
        await store.update((current) => {
          const lookup = originalName ?? (typeof given.name === 'string' ? given.name.trim() : undefined);
          const previous = current.find((inst) => inst.name === lookup) ?? managed.find((inst) => inst.name === lookup);
          if (originalName !== undefined && !previous)
            throw new ConfigError('Instance', [{ path: 'originalName', message: t('error_problem_noInstance', originalName) }]);
          const saved = parseOverStored(given, previous, 'Instance');
          if (saved.name !== previous?.name && current.some((inst) => inst.name === saved.name))
            throw new ConfigError('Instance', [{ path: 'name', message: t('error_problem_nameUsed', saved.name) }]);
          previousName = previous?.name;
          savedName = saved.name;
          return previous && current.includes(previous as ResolvedInstance) ? current.map((inst) => (inst === previous ? saved : inst)) : [...current, saved];
        });
        if (previousName !== undefined && previousName !== savedName) await forgetInstances([previousName]);
        // An edit is the user's say-so to send the credential again (docs/contract.md#parked-credentials).
        await setParked([savedName, ...(previousName === undefined ? [] : [previousName])], false);
        await deps.afterChange();
        return { ok: true };
      }),

    'instances:remove': ({ name }) =>
      settle(async () => {
        await store.update((current) => {
          if (!current.some((inst) => inst.name === name)) throw new Error(t('error_noSuchInstance', name));
          return current.filter((inst) => inst.name !== name);
        });
        await forgetInstances([name]);
        await setParked([name], false);
        await deps.afterChange();
        return { ok: true };
      }),

    'instances:test': ({ name }) =>
      settle(async () => {
        const inst = await find(name);
        // Under the refresh lock: a Test during a refresh would call the same instance twice at once.
        return await refresher.exclusive(async () => {
          // A re-test is the user's say-so to send a parked credential once more.
          await setParked([name], false);
          const { result } = await readInstance(inst, deps.inventory ?? {}, new Date());
          await parkIfRefused(inst, result);
          return result.error ? { ok: false as const, error: result.error.message } : { ok: true as const, count: result.count };
        });
      }),

    'config:import': ({ json }) =>
      settle(async () => {
        const { imported, warnings, maxKeyAgeDays } = await importConfig(store, json);
        if (maxKeyAgeDays !== undefined) {
          // Like a choice in Options: the organisation's policy, where it sets one, wins.
          if ((await readSettings()).managed.includes('maxKeyAgeDays')) warnings.push({ path: 'maxKeyAgeDays', message: t('error_import_policyManaged') });
          else await localSettingsItem.setValue({ ...(await localSettingsItem.getValue()), maxKeyAgeDays });
        }
        await deps.afterChange();
        // Not awaited: the reply comes at once; the popup follows the refresh through state:get.
        refresher.refresh().catch(() => undefined);
        return { ok: true, imported, ...(warnings.length ? { warnings } : {}) };
      }),

    'config:export': ({ includeSecrets, passphrase }) =>
      settle(async () => {
        if (includeSecrets) await store.verifyPassphrase(passphrase);
        return { ok: true, json: await exportConfig(store, includeSecrets, rotationPolicy((await readSettings()).settings)) };
      }),

    'lock:set': ({ passphrase, current }) =>
      settle(async () => {
        await store.setPassphrase(passphrase, current);
        return { ok: true };
      }),

    'lock:unlock': ({ passphrase }) =>
      settle(async () => {
        await store.unlock(passphrase);
        return { ok: true };
      }),

    async 'lock:lock'() {
      if (!(await store.lockState()).hasPassphrase) return { ok: false, error: NO_PASSPHRASE };
      await store.lock();
      return { ok: true };
    },

    'autoLock:get': async () => ({ minutes: await readAutoLock() }),

    'autoLock:set': ({ minutes }) =>
      settle(async () => {
        await deps.autoLock.set(minutes);
        return { ok: true };
      }),

    'lock:remove': ({ passphrase }) =>
      settle(async () => {
        if (!(await store.lockState()).hasPassphrase) return { ok: false, error: NO_PASSPHRASE };
        await store.removePassphrase(passphrase);
        return { ok: true };
      }),
  };
}
