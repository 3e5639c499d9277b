import { browser } from 'wxt/browser';
import { readSettings } from '../managed';

export const REFRESH_ALARM = 'refresh';

/**
 * Alarms may not survive a browser update or restart, so this runs at every start. An alarm that
 * already has the right period is left alone: re-creating it would restart its countdown each
 * time the worker wakes, and a worker woken more often than the period would then never refresh.
 * The period is a setting (6 h by default) that an organisation's policy may fix.
 */
export async function ensureRefreshAlarm(): Promise<void> {
  const period = (await readSettings()).settings.refreshPeriodMinutes;
  const existing = await browser.alarms.get(REFRESH_ALARM);
  if (existing?.periodInMinutes === period) return;
  await browser.alarms.create(REFRESH_ALARM, { periodInMinutes: period, delayInMinutes: period });
}
