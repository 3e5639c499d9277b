import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { NotifySettings as Settings } from '../../lib/messages';
import { sendMessage } from '../../ext/messaging';
import { t } from '../../ext/i18n';
import { errorText } from '../../ext/ui/format';
import { Alert } from '../../ext/ui/alert';

/** "30, 7, 1" → [30, 7, 1]; undefined when any part is not a whole number of days the background accepts. */
export function parseDays(text: string): number[] | undefined {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  if (!parts.length || parts.length > 10 || parts.some((p) => !/^\d{1,4}$/.test(p) || Number(p) > 3650)) return undefined;
  return parts.map(Number);
}

/** docs/contract.md#ahead-of-expiry: the opt-in, with the optional `notifications` permission asked for inside the click. */
export function NotifySettings() {
  const [settings, setSettings] = useState<Settings>();
  const [days, setDays] = useState('');
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState(false);
  const [permitted, setPermitted] = useState(false);

  // Known ahead of the click: Firefox throws when asked for a permission the manifest already holds
  // (test builds do), and allows no await before the prompt.
  useEffect(() => {
    void browser.permissions.contains({ permissions: ['notifications'] }).then(setPermitted, () => undefined);
  }, []);

  useEffect(() => {
    sendMessage('notify:get')
      .then((s) => {
        setSettings(s);
        setDays(s.days.join(', '));
      })
      .catch((err: unknown) => setError(errorText(err)));
  }, []);

  async function save(next: Settings) {
    setError(undefined);
    setSaved(false);
    try {
      const reply = await sendMessage('notify:set', next);
      if (!reply.ok) return setError(reply.error);
      setSettings(next);
      setSaved(true);
    } catch (err) {
      setError(errorText(err));
    }
  }

  async function toggle(enabled: boolean) {
    if (!settings) return;
    // The request comes first, while the click still counts as the user's gesture.
    if (enabled && !permitted && !(await browser.permissions.request({ permissions: ['notifications'] }).catch(() => false))) return setError(t('options_notify_denied'));
    await save({ ...settings, enabled });
  }

  function submit(event: Event) {
    event.preventDefault();
    const parsed = parseDays(days);
    if (!parsed) return setError(t('options_notify_bad_days'));
    if (settings) void save({ ...settings, days: parsed });
  }

  if (!settings) return <Alert text={error} />;
  return (
    <form class="notify-settings form" onSubmit={submit}>
      <label class="check">
        <input type="checkbox" data-testid="notify-toggle" checked={settings.enabled} onChange={(e) => void toggle(e.currentTarget.checked)} />
        <span>{t('options_notify_toggle')}</span>
      </label>
      <div class="field">
        <label for="notify-days">{t('options_notify_days')}</label>
        <input id="notify-days" type="text" inputMode="numeric" aria-describedby="notify-days-help" value={days} onInput={(e) => setDays(e.currentTarget.value)} />
        <p class="help" id="notify-days-help">
          {t('options_notify_daysHelp')}
        </p>
      </div>
      <label class="check">
        <input type="checkbox" checked={settings.expired} onChange={(e) => setSettings({ ...settings, expired: e.currentTarget.checked })} />
        <span>{t('options_notify_expired')}</span>
      </label>
      <div class="form-actions">
        <button type="submit">{t('options_notify_save')}</button>
      </div>
      {saved && <p role="status">{t('options_notify_saved')}</p>}
      <Alert text={error} />
    </form>
  );
}
