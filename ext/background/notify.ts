import { browser } from 'wxt/browser';
import { consolePageUrl } from '../../lib/consoles';
import { planAlerts, type KeyAlert, type Level } from '../../lib/expiry-alerts';
import type { KeyMeta } from '../../lib/messages';
import { formatNumber, t, tCount } from '../i18n';
import { readParked } from './call-guard';
import { readSettings } from '../managed';
import { rotationPolicy } from '../../lib/managed';
import { announcedItem, readAnnounced, readCache, readNotifySettings, type PublicInstance } from '../storage';
import type { InstanceStore } from './instance-store';

/** Ids of our notifications: the prefix, then the instance whose console page a click opens. */
const NOTIFICATION_PREFIX = 'keyatlas-expiry:';
/** Keys named per threshold in the text; the rest are counted. */
const NAMED_PER_LEVEL = 3;
// Chrome requires an icon on a basic notification; a data URL needs no file in the package.

/** The notifications API where the browser has it and the optional permission is granted. */
async function notificationsApi(): Promise<typeof browser.notifications | undefined> {
  if (!browser.notifications) return undefined;
  return (await browser.permissions.contains({ permissions: ['notifications'] })) ? browser.notifications : undefined;
}

function keyLabel(k: KeyMeta): string {
  return `${k.instance} '${k.description || k.owner || k.key_id}'`;
}

function levelLine(level: Level, alerts: KeyAlert<KeyMeta>[], maxKeyAgeDays: number | undefined): string {
  const names = alerts.slice(0, NAMED_PER_LEVEL).map((a) => keyLabel(a.key));
  const list = alerts.length > NAMED_PER_LEVEL ? t('notify_list_more', names.join(', '), formatNumber(alerts.length - NAMED_PER_LEVEL)) : names.join(', ');
  if (level === 'expired') return t('notify_expired', formatNumber(alerts.length), list);
  if (level === 'rotate') return tCount('notify_rotate', alerts.length, tCount('notify_days', maxKeyAgeDays ?? 0), list);
  return tCount('notify_within', alerts.length, tCount('notify_days', level), list);
}

/** One grouped text: one line per threshold, most urgent first, then the instances that could not be read. */
export function notificationText(alerts: KeyAlert<KeyMeta>[], newlyFailed: string[], maxKeyAgeDays?: number): { title: string; message: string } {
  const byLevel = new Map<Level, KeyAlert<KeyMeta>[]>();
  for (const alert of alerts) byLevel.set(alert.level, [...(byLevel.get(alert.level) ?? []), alert]);
  const lines = [...byLevel].map(([level, group]) => levelLine(level, group, maxKeyAgeDays));
  if (newlyFailed.length) lines.push(t('notify_failed', newlyFailed.join(', ')));
  // A key both expiring and due for rotation is one key.
  const keys = new Set(alerts.map((a) => a.key)).size;
  return { title: keys ? tCount('notify_title_keys', keys) : t('notify_title_failed'), message: lines.join('\n') };
}

export interface Notifier {
  /** After each refresh: announces what crossed a threshold since the last announcement, in one notification. */
  afterRefresh(): Promise<void>;
  /** A click on one of our notifications opens the console page of its instance. */
  clicked(notificationId: string): Promise<void>;
}

export function createNotifier({ store, now = () => new Date() }: { store: InstanceStore; now?: () => Date }): Notifier {
  return {
    async afterRefresh() {
      const [local, { settings: effective, managed }] = await Promise.all([readNotifySettings(), readSettings()]);
      if (!local.enabled) return;
      // An organisation's thresholds (storage.managed) replace the user's own; the rotation policy is a setting like them.
      const maxKeyAgeDays = rotationPolicy(effective);
      const settings = { ...(managed.includes('notificationThresholds') ? { ...local, days: effective.notificationThresholds } : local), maxKeyAgeDays };
      const api = await notificationsApi();
      if (!api || (await store.lockState()).locked) return;
      // Parked credentials (docs/contract.md#parked-credentials) are not announced: the popup already says the instance is parked.
      const [listed, parked] = await Promise.all([store.listPublic(), readParked()]);
      const instances = listed.filter((inst) => !parked.has(inst.name));
      const cache = await readCache(now());
      const withStatus = (ok: boolean) => instances.filter((inst) => cache.statuses[inst.name]?.ok === ok).map((inst) => inst.name);
      const read = withStatus(true);
      const readSet = new Set(read);
      const plan = planAlerts({
        keys: cache.keys.filter((k) => readSet.has(k.instance)),
        instances: read,
        failed: withStatus(false),
        thresholds: settings,
        announced: await readAnnounced(),
      });
      const first = plan.alerts[0]?.key.instance ?? plan.newlyFailed[0];
      if (first !== undefined) {
        const { title, message } = notificationText(plan.alerts, plan.newlyFailed, maxKeyAgeDays);
        // One id per instance: a newer notification replaces an older one that is still on screen.
        await api.create(NOTIFICATION_PREFIX + first, { type: 'basic', iconUrl: browser.runtime.getURL('/icon/128.png'), title, message });
      }
      // Remembered only once shown, so a failed create is tried again after the next refresh.
      await announcedItem.setValue(plan.announced);
    },

    async clicked(notificationId) {
      if (!notificationId.startsWith(NOTIFICATION_PREFIX)) return;
      const name = notificationId.slice(NOTIFICATION_PREFIX.length);
      const inst = (await store.listPublic()).find((i) => i.name === name);
      await browser.notifications?.clear(notificationId);
      if (inst) await browser.tabs.create({ url: consolePageUrl(inst) });
    },
  };
}
