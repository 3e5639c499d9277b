import { browser } from 'wxt/browser';

export const REFRESH_ALARM = 'refresh';
export const REFRESH_PERIOD_MINUTES = 6 * 60;

/**
 * Alarms may not survive a browser update or restart, so this runs at every start. An alarm that
 * already has the right period is left alone: re-creating it would restart its 6 h countdown each
 * time the worker wakes, and a worker woken more often than every 6 h would then never refresh.
 */
export async function ensureRefreshAlarm(): Promise<void> {
  const existing = await browser.alarms.get(REFRESH_ALARM);
  if (existing?.periodInMinutes === REFRESH_PERIOD_MINUTES) return;
  await browser.alarms.create(REFRESH_ALARM, { periodInMinutes: REFRESH_PERIOD_MINUTES, delayInMinutes: REFRESH_PERIOD_MINUTES });
}
