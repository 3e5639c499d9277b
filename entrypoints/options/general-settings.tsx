import { useEffect, useState } from 'preact/hooks';
import type { ExtensionProtocol } from '../../lib/messages';
import type { LocalChoices, SettingName } from '../../lib/managed';
import { sendMessage } from '../../ext/messaging';
import { t, uiLanguage, type MessageKey } from '../../ext/i18n';
import { errorText } from '../../ext/ui/format';
import { Alert } from '../../ext/ui/alert';

type State = ReturnType<ExtensionProtocol['settings:get']>;
type KeyMode = NonNullable<LocalChoices['defaultKeyMode']>;

/** The periods offered; one a policy set outside them is listed too, so the control shows what is in force. */
const PERIODS = [15, 60, 180, 360, 720, 1440];
const KEY_MODES: [KeyMode, MessageKey][] = [
  ['masked', 'options_settings_keysMasked'],
  ['omit', 'options_settings_keysOmit'],
  ['full', 'options_settings_keysFull'],
];

/** "15 minutes", "6 hours", "6 Stunden": whole hours as hours, in the UI language. */
export function periodLabel(minutes: number): string {
  const [value, unit] = minutes % 60 === 0 ? [minutes / 60, 'hour'] : [minutes, 'minute'];
  return new Intl.NumberFormat(uiLanguage(), { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}

/**
 * docs/contract.md#managed-policy, the user's side: refresh period and default key mode, each
 * read-only with a note when the organisation's policy fixes it, and what the policy got wrong.
 */
export function GeneralSettings() {
  const [state, setState] = useState<State>();
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    sendMessage('settings:get')
      .then(setState)
      .catch((err: unknown) => setError(errorText(err)));
  }, []);

  async function choose(choice: LocalChoices) {
    if (!state) return;
    setError(undefined);
    setSaved(false);
    try {
      const reply = await sendMessage('settings:set', choice);
      if (!reply.ok) return setError(reply.error);
      setState({ ...state, settings: { ...state.settings, ...choice } });
      setSaved(true);
    } catch (err) {
      setError(errorText(err));
    }
  }

  // Nothing to show until the background answers; a failure to ask is still said.
  if (!state) return <Alert text={error} />;
  const { settings, managed, problems } = state;
  const fixed = (name: SettingName) => managed.includes(name);
  const periods = PERIODS.includes(settings.refreshPeriodMinutes) ? PERIODS : [...PERIODS, settings.refreshPeriodMinutes].sort((a, b) => a - b);
  return (
    <section class="general-settings" aria-labelledby="settings-title">
      <h2 id="settings-title">{t('options_settings_heading')}</h2>
      {problems.length > 0 && (
        <div class="warning" role="note" data-testid="policy-problems">
          <p>{t('options_settings_policyProblems')}</p>
          <ul>
            {problems.map((p) => (
              <li key={`${p.path}: ${p.message}`}>
                {p.path}: {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <div class="form">
      <SettingSelect
        id="setting-refresh"
        label={t('options_settings_refresh')}
        managed={fixed('refreshPeriodMinutes')}
        value={String(settings.refreshPeriodMinutes)}
        choices={periods.map((minutes) => [String(minutes), periodLabel(minutes)])}
        onChoose={(value) => void choose({ refreshPeriodMinutes: Number(value) })}
      />
      <SettingSelect
        id="setting-keys"
        label={t('options_settings_keys')}
        managed={fixed('defaultKeyMode')}
        value={settings.defaultKeyMode}
        choices={KEY_MODES.map(([mode, label]) => [mode, t(label)])}
        onChoose={(value) => void choose({ defaultKeyMode: value as KeyMode })}
      />
      {settings.defaultKeyMode === 'full' && (
        <p class="warning" role="note">
          {t('options_settings_fullWarning')}
        </p>
      )}
      <MaxKeyAge managed={fixed('maxKeyAgeDays')} value={settings.maxKeyAgeDays} onChoose={(maxKeyAgeDays) => void choose({ maxKeyAgeDays })} />
      </div>
      {saved && <p role="status">{t('options_settings_saved')}</p>}
      <Alert text={error} />
    </section>
  );
}

/** The rotation policy (docs/owners.md): a whole number of days, 0 for none; kept when the field is left or Enter is pressed. */
function MaxKeyAge({ managed, value, onChoose }: { managed: boolean; value: number; onChoose: (days: number) => void }) {
  // What is being typed; the setting in force shows again once a valid number is kept.
  const [draft, setDraft] = useState<string>();
  const text = draft ?? String(value);
  const invalid = daysOf(text) === undefined;
  const commit = (entered: string) => {
    const days = daysOf(entered);
    if (days === undefined) return;
    setDraft(undefined);
    if (days !== value) onChoose(days);
  };
  return (
    <div class="field">
      <label for="setting-max-key-age">{t('options_settings_maxKeyAge')}</label>
      <input
        id="setting-max-key-age"
        data-testid="max-key-age"
        type="number"
        inputMode="numeric"
        min={0}
        max={36_500}
        step={1}
        disabled={managed}
        aria-invalid={invalid}
        aria-describedby="setting-max-key-age-help"
        value={text}
        onInput={(e) => setDraft(e.currentTarget.value)}
        onChange={(e) => commit(e.currentTarget.value)}
      />
      <p class="note" id="setting-max-key-age-help">
        {managed ? t('options_settings_managed') : invalid ? t('options_settings_maxKeyAgeInvalid') : t('options_settings_maxKeyAgeHelp')}
      </p>
    </div>
  );
}

/** A whole number of days the policy accepts (lib/managed.ts), or undefined. */
function daysOf(text: string): number | undefined {
  const days = /^\d{1,5}$/.test(text.trim()) ? Number(text.trim()) : NaN;
  return days <= 36_500 ? days : undefined;
}

interface SettingSelectProps {
  id: string;
  label: string;
  /** Fixed by the policy: read-only, with the note tied to it for screen readers. */
  managed: boolean;
  value: string;
  choices: [value: string, label: string][];
  onChoose: (value: string) => void;
}

function SettingSelect({ id, label, managed, value, choices, onChoose }: SettingSelectProps) {
  const noteId = `${id}-managed`;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} disabled={managed} aria-describedby={managed ? noteId : undefined} value={value} onChange={(e) => onChoose(e.currentTarget.value)}>
        {choices.map(([choice, text]) => (
          <option key={choice} value={choice}>
            {text}
          </option>
        ))}
      </select>
      {managed && (
        <p class="note" id={noteId}>
          {t('options_settings_managed')}
        </p>
      )}
    </div>
  );
}
