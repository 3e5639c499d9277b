import { browser } from 'wxt/browser';
import { autoLockMinutesSchema, idleTooLong, type AutoLockMinutes } from '../../lib/auto-lock';
import { autoLockItem, lastActivityItem } from '../storage';
import type { InstanceStore } from './instance-store';

export const AUTO_LOCK_ALARM = 'auto-lock';
/** How often the idle time is checked; a lock may come up to this much after the chosen time. */
const CHECK_EVERY_MINUTES = 1;

export async function readAutoLock(): Promise<AutoLockMinutes> {
  return autoLockMinutesSchema.safeParse(await autoLockItem.getValue()).data ?? 0;
}

export function createAutoLock({ store, now = Date.now }: { store: Pick<InstanceStore, 'lockState' | 'lock'>; now?: () => number }) {
  /** The alarm runs only while an idle time is chosen: with auto-lock off nothing wakes the worker. */
  async function ensureAlarm(minutes: AutoLockMinutes): Promise<void> {
    if (minutes === 0) {
      await browser.alarms.clear(AUTO_LOCK_ALARM);
      return;
    }
    // Re-created only when missing: re-creating restarts the countdown at every wake-up.
    if (!(await browser.alarms.get(AUTO_LOCK_ALARM))) await browser.alarms.create(AUTO_LOCK_ALARM, { periodInMinutes: CHECK_EVERY_MINUTES });
  }

  return {
    noteActivity: () => lastActivityItem.setValue(now()),

    async set(minutes: AutoLockMinutes): Promise<void> {
      await autoLockItem.setValue(minutes);
      await lastActivityItem.setValue(now());
      await ensureAlarm(minutes);
    },

    /** Every start of the worker or event page: alarms may not survive a browser update. */
    start: async () => ensureAlarm(await readAutoLock()),

    /** The alarm: locks an unlocked store left idle too long; the passphrase is then needed again. */
    async check(): Promise<void> {
      const minutes = await readAutoLock();
      const { locked, hasPassphrase } = await store.lockState();
      if (!hasPassphrase || locked) return;
      const last = await lastActivityItem.getValue();
      // Unlocked with no activity on record (e.g. set before this update): the idle time starts now.
      if (last === null) return void (await lastActivityItem.setValue(now()));
      if (idleTooLong(minutes, last, now())) await store.lock();
    },
  };
}
export type AutoLock = ReturnType<typeof createAutoLock>;
