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
  fieldError,
  fieldLabel,
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
import { formatList, t } from '../../ext/i18n';
import { isPlainHttpRemote } from '../../lib/cleartext';
import { Problems } from './config-io';

interface Props {
  initial: FormValues;
  /** The instance being edited; absent when adding. */
  editing?: InstanceView;
  existingNames: readonly string[];
  onSaved: (name: string) => void;
  /** Closes the form; absent when there is nothing to go back to (no instance yet). */
  onCancel?: () => void;
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
  const hosts = formatList(patterns);
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
  // Opened by a click in the list above: bring the form into view and put the cursor in it.
  useEffect(() => {
    if (!onCancel) return;
    formRef.current?.scrollIntoView?.({ block: 'nearest' });
    formRef.current?.querySelector<HTMLElement>('select:not(:disabled), input:not([readonly])')?.focus({ preventScroll: true });
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
        setFailure(t('options_accessAskFailed', hosts, errorText(err)));
        return;
      }
      if (!allowed) {
        setFailure(t('options_accessRefused', hosts));
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
          byField[field] = fieldError(field, problem.message);
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
    <form ref={formRef} class="instance-form form panel" data-testid="instance-form" aria-labelledby="instance-form-title" noValidate onSubmit={submit}>
      <h3 id="instance-form-title">{editing ? t('options_form_edit', editing.name) : t('options_form_add')}</h3>
      <Row field="vendor" error={errors.vendor}>
        {(a11y) => (
          <select
            {...a11y}
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
        )}
      </Row>
      {managed && <p class="note">{t('options_managedHelp')}</p>}
      {form.note && <p class="note">{t(form.note)}</p>}
      <Row field="name" error={errors.name} help={t('options_nameHelp')}>
        {(a11y) => <input {...a11y} name="name" readOnly={managed} value={values.name} onInput={(e) => set('name', e.currentTarget.value)} />}
      </Row>
      {form.fields.map((field) => (
        <Row key={field} field={field} error={errors[field]} help={helpFor(field, values, editing)} warning={field === 'url' ? hint : undefined}>
          {(a11y) =>
            field === 'securityLevel' ? (
              <select {...a11y} name="securityLevel" disabled={policyFixes(field)} value={values.securityLevel} onChange={(e) => set('securityLevel', e.currentTarget.value)}>
                <option value="standard">{t('options_security_standard')}</option>
                <option value="advanced">{t('options_security_advanced')}</option>
              </select>
            ) : (
              <input
                {...a11y}
                name={field}
                type={field === 'apiKey' || field === 'password' ? 'password' : field === 'url' ? 'url' : 'text'}
                autocomplete={field === 'apiKey' || field === 'password' ? 'new-password' : 'off'}
                placeholder={field === 'url' ? form.urlPlaceholder : undefined}
                readOnly={policyFixes(field)}
                value={values[field]}
                onInput={(e) => set(field, e.currentTarget.value)}
              />
            )
          }
        </Row>
      ))}
      {patterns.length > 0 && (
        <p class="help" data-testid="access">
          {granted === patternKey ? t('options_accessGranted', hosts) : t('options_accessAsk', hosts)}
        </p>
      )}
      {failure && (
        <div class="error" role="alert" data-testid="save-error">
          <p>{failure}</p>
          <Problems problems={problems} />
        </div>
      )}
      <div class="form-actions">
        <button type="submit" class="primary" disabled={busy}>
          {editing ? t('options_saveChanges') : t('options_addInstance')}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            {t('options_cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

function helpFor(field: FieldName, values: FormValues, editing: InstanceView | undefined): string | undefined {
  const vendor = values.vendor as VendorId;
  if ((field === 'apiKey' || field === 'password') && keepsStoredSecret(values, editing, field))
    return t(field === 'apiKey' ? 'options_keepStoredKey' : 'options_keepStoredPassword');
  if (vendor === 'metadefender-core' && field === 'apiKey') return t('options_coreKeyHelp');
  const help = VENDOR_FORMS[vendor].help?.[field];
  return help && t(help);
}

/** What ties a control to its label, help, warning and error, so a screen reader reads them with the field. */
interface FieldA11y {
  id: string;
  'aria-invalid'?: true;
  'aria-describedby'?: string;
}

interface RowProps {
  field: FieldName;
  error?: string;
  help?: string;
  warning?: string;
  children: (a11y: FieldA11y) => ComponentChildren;
}

function Row({ field, error, help, warning, children }: RowProps) {
  const id = `field-${field}`;
  const notes = { error, warning, help };
  const describedBy = (Object.keys(notes) as (keyof typeof notes)[]).filter((k) => notes[k]).map((k) => `${id}-${k}`).join(' ');
  return (
    <div class={error ? 'field invalid' : 'field'} data-field={field}>
      <label for={id}>{fieldLabel(field)}</label>
      {children({ id, ...(error ? { 'aria-invalid': true } : {}), ...(describedBy ? { 'aria-describedby': describedBy } : {}) })}
      {help && (
        <p class="help" id={`${id}-help`}>
          {help}
        </p>
      )}
      {warning && (
        <p class="warning" id={`${id}-warning`}>
          {warning}
        </p>
      )}
      {error && (
        <p class="field-error" role="alert" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
