import '../ext/zod-jitless';
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { REFRESH_ALARM } from '../ext/background/alarms';
import { createBackgroundApp } from '../ext/background/app';
import { AUTO_LOCK_ALARM } from '../ext/background/auto-lock';
import { listen } from '../ext/background/router';
import { observeConsoleSessions } from '../ext/background/sessions';

export default defineBackground(() => {
  const app = createBackgroundApp();
  // Listeners are added synchronously: an MV3 worker woken by an event must find them at once.
  listen(app.route);
  observeConsoleSessions(app.sessions);
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === REFRESH_ALARM) app.refresher.refresh().catch(() => undefined);
    if (alarm.name === AUTO_LOCK_ALARM) app.autoLock.check().catch(() => undefined);
  });
  // The optional notifications API appears only once granted, so its click listener is added then too.
  let clicksHeard = false;
  const hearClicks = () => {
    if (clicksHeard || !browser.notifications) return;
    clicksHeard = true;
    browser.notifications.onClicked.addListener((id) => void app.notifier.clicked(id).catch(() => undefined));
  };
  hearClicks();
  const resync = () => void app.syncConsoles().catch(() => undefined);
  browser.permissions.onAdded.addListener(() => {
    hearClicks();
    resync();
  });
  browser.permissions.onRemoved.addListener(resync);
  app.start().catch((error: unknown) => console.error('KeyAtlas: background start failed:', error));
});
