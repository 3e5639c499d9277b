import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { ConfigProblem } from '../../lib/config';
import type { InstanceView } from '../../lib/messages';
import { grantPatternsFor } from '../../lib/origins';
import { VENDOR_IDS, VENDOR_LABELS, type VendorId } from '../../lib/vendors';
import { sendMessage } from '../../ext/messaging';
import { errorText } from '../../ext/ui/format';
import {
  buildInstance,
  changeVendor,
  FIELD_LABELS,
  fieldOf,
  keepsStoredSecret,
  urlHint,
  validateForm,
  VENDOR_FORMS,
  type FieldErrors,
  type FieldName,
  type FormValues,
} from '../../ext/ui/instance-form';
import { missingPatterns } from '../../ext/ui/permissions';
import { t } from '../../ext/i18n';
import { isPlainHttpRemote } from '../../ext/ui/plain-http';

interface Props {
  initial: FormValues;
  /** The instance being edited; absent when adding. */
  editing?: InstanceView;
  existingNames: readonly string[];
  onSaved: (name: string) => void;
  onCancel: () => void;
}

export function InstanceEditor({ initial, editing, existingNames, onSaved, onCancel }: Props) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problems, setProblems] = useState<ConfigProblem[]>([]);
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const vendor = values.vendor as VendorId;
  const form = VENDOR_FORMS[vendor];
  const patterns = grantPatternsFor({ vendor, url: values.url.trim() || undefined });
  const patternKey = patterns.join(' ');
  const [granted, setGranted] = useState<string>();

  // Known ahead of the click, so the click only prompts when it must (Firefox allows no await before the prompt).
  useEffect(() => {
    let current = true;
    if (patterns.length)
      void missingPatterns(patterns).then((missing) => {
        if (current && missing.length === 0) setGranted(patternKey);
      });
    return () => {
      current = false;
    };
  }, [patternKey]);

  const formRef = useRef<HTMLFormElement>(null);
  // "Edit" is clicked in the list above; bring the form it fills into view.
  useEffect(() => {
    if (editing) formRef.current?.scrollIntoView?.({ block: 'start' });
  }, []);

  const set = (field: FieldName, value: string) => setValues((v) => ({ ...v, [field]: value }));

  function submit(event: Event) {
    event.preventDefault();
    const found = validateForm(values, { editing, existingNames });
    setErrors(found);
    setProblems([]);
    setFailure(undefined);
    if (Object.keys(found).length) return;
    // Must run synchronously inside the user gesture: Firefox refuses the prompt after any await.
    const permission = granted === patternKey ? Promise.resolve(true) : browser.permissions.request({ origins: patterns });
    void save(permission);
  }

  async function save(permission: Promise<boolean>) {
    setBusy(true);
    try {
      let allowed: boolean;
      try {
        allowed = await permission;
      } catch (err) {
        setFailure(`Could not ask for access to ${patterns.join(', ')}: ${errorText(err)}. The instance was not saved.`);
        return;
      }
      if (!allowed) {
        setFailure(`Access to ${patterns.join(', ')} was refused, so the instance was not saved: KeyAtlas needs it to call the API.`);
        return;
      }
      const instance = buildInstance(values);
      const reply = await sendMessage('instances:save', editing ? { instance, originalName: editing.name } : { instance });
      if (reply.ok) {
        onSaved(instance.name!);
        return;
      }
      setFailure(reply.error);
      const byField: FieldErrors = {};
      const rest: ConfigProblem[] = [];
      for (const problem of reply.problems ?? []) {
        const field = fieldOf(problem.path);
        if (field && (field === 'name' || field === 'vendor' || form.fields.includes(field)) && !byField[field])
          byField[field] = `${FIELD_LABELS[field]} ${problem.message}`;
        else rest.push(problem);
      }
      setErrors(byField);
      setProblems(rest);
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const hint = [urlHint(values), isPlainHttpRemote(values.url.trim()) ? t('options_plainHttpWarning') : undefined].filter(Boolean).join(' ') || undefined;
  // The policy decides everything but the credential (the background enforces it; the form just shows it).
  const managed = !!editing?.managed;
  const policyFixes = (field: string) => managed && (field === 'url' || field === 'securityLevel');
  return (
    <form ref={formRef} class="instance-form" data-testid="instance-form" noValidate onSubmit={submit}>
      <h2>{editing ? `Edit ${editing.name}` : 'Add an instance'}</h2>
      <Row field="vendor" error={errors.vendor}>
        <select
          id="field-vendor"
          name="vendor"
          disabled={managed}
          value={values.vendor}
          onChange={(e) => setValues((v) => changeVendor(v, e.currentTarget.value as VendorId))}
        >
          {VENDOR_IDS.map((id) => (
            <option key={id} value={id}>
              {VENDOR_LABELS[id]}
            </option>
          ))}
        </select>
      </Row>
      {managed && <p class="note">{t('options_managedHelp')}</p>}
      {form.note && <p class="note">{form.note}</p>}
      <Row field="name" error={errors.name} help="A short name of your choice; it is the instance column of the CSV.">
        <input id="field-name" name="name" readOnly={managed} value={values.name} onInput={(e) => set('name', e.currentTarget.value)} />
      </Row>
      {form.fields.map((field) => (
        <Row key={field} field={field} error={errors[field]} help={helpFor(field, values, editing)} warning={field === 'url' ? hint : undefined}>
          {field === 'securityLevel' ? (
            <select id="field-securityLevel" name="securityLevel" disabled={policyFixes(field)} value={values.securityLevel} onChange={(e) => set('securityLevel', e.currentTarget.value)}>
              <option value="standard">standard</option>
              <option value="advanced">advanced (hashed with a nonce and timestamp)</option>
            </select>
          ) : (
            <input
              id={`field-${field}`}
              name={field}
              type={field === 'apiKey' || field === 'password' ? 'password' : field === 'url' ? 'url' : 'text'}
              autocomplete={field === 'apiKey' || field === 'password' ? 'new-password' : 'off'}
              placeholder={field === 'url' ? form.urlPlaceholder : undefined}
              readOnly={policyFixes(field)}
              value={values[field]}
              onInput={(e) => set(field, e.currentTarget.value)}
            />
          )}
        </Row>
      ))}
      {patterns.length > 0 && (
        <p class="help" data-testid="access">
          {granted === patternKey
            ? `KeyAtlas may call ${patterns.join(' and ')}.`
            : `Saving asks your browser to let KeyAtlas call ${patterns.join(' and ')}.`}
        </p>
      )}
      {failure && (
        <div class="error" role="alert" data-testid="save-error">
          <p>{failure}</p>
          {problems.length > 0 && (
            <ul>
              {problems.map((p) => (
                <li key={`${p.path}:${p.message}`}>
                  {p.path || '(top level)'}: {p.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div class="buttons">
        <button type="submit" class="primary" disabled={busy}>
          {editing ? 'Save changes' : 'Add instance'}
        </button>
        {editing && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

function helpFor(field: FieldName, values: FormValues, editing: InstanceView | undefined): string | undefined {
  const vendor = values.vendor as VendorId;
  if ((field === 'apiKey' || field === 'password') && keepsStoredSecret(values, editing, field))
    return `Leave empty to keep the stored ${field === 'apiKey' ? 'key' : 'password'}.`;
  if (vendor === 'metadefender-core' && field === 'apiKey') return 'Or leave empty and give a user name and password.';
  return VENDOR_FORMS[vendor].help?.[field];
}

interface RowProps {
  field: FieldName;
  error?: string;
  help?: string;
  warning?: string;
  children: ComponentChildren;
}

function Row({ field, error, help, warning, children }: RowProps) {
  return (
    <div class={error ? 'field invalid' : 'field'} data-field={field}>
      <label for={`field-${field}`}>{FIELD_LABELS[field]}</label>
      {children}
      {help && <p class="help">{help}</p>}
      {warning && <p class="warning">{warning}</p>}
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
