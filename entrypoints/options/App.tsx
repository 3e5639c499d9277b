import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { InstanceStatus, InstanceView } from '../../lib/messages';
import { sendMessage } from '../../ext/messaging';
import { errorText } from '../../ext/ui/format';
import { emptyForm, formFromView, parseAddHash, type FormValues } from '../../ext/ui/instance-form';
import { ConfigExport, ConfigImport } from './config-io';
import { InstanceEditor } from './instance-editor';
import { InstanceList } from './instance-list';
import { LockSettings } from './lock-settings';
import { BrandHeading } from '../../ext/ui/brand';
import { NotifySettings } from './notify-settings';
import { GeneralSettings } from './general-settings';
import { t } from '../../ext/i18n';

interface Editor {
  initial: FormValues;
  editing?: InstanceView;
  /** Bumped to start the form afresh, even with equal initial values. */
  generation: number;
}

/** `#add?url=…&vendor=…` (from the console button) opens the add form prefilled; otherwise the form waits for a click. */
function editorFromHash(generation: number): Editor | undefined {
  const initial = parseAddHash(location.hash);
  return initial ? { initial, generation } : undefined;
}

export function OptionsApp() {
  const [lock, setLock] = useState<{ locked: boolean; hasPassphrase: boolean }>();
  const [instances, setInstances] = useState<InstanceView[]>();
  const [statuses, setStatuses] = useState<ReadonlyMap<string, InstanceStatus>>(new Map());
  const [loadError, setLoadError] = useState<string>();
  const [editor, setEditor] = useState<Editor | undefined>(() => editorFromHash(0));
  const generation = useRef(0);
  const [notice, setNotice] = useState<string>();
  const [now, setNow] = useState(Date.now);

  const load = useCallback(async () => {
    try {
      const state = await sendMessage('state:get');
      setLock({ locked: state.locked, hasPassphrase: state.hasPassphrase });
      // How each instance's last read went, beside its settings: the popup's state, not a new call.
      setStatuses(new Map(state.instances.map((inst) => [inst.name, inst])));
      setNow(Date.now());
      if (!state.locked) setInstances(await sendMessage('instances:list'));
      setLoadError(undefined);
    } catch (err) {
      setLoadError(errorText(err));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    const onHash = () => {
      const next = editorFromHash(++generation.current);
      if (next) setEditor(next);
    };
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);

  function openEditor(initial: FormValues, editing?: InstanceView) {
    setNotice(undefined);
    setEditor({ initial, editing, generation: ++generation.current });
  }

  function closeEditor() {
    setEditor(undefined);
    // A reload of the page must not prefill the form again from the console button's #add link.
    if (parseAddHash(location.hash)) history.replaceState(null, '', location.pathname + location.search);
  }

  function saved(name: string) {
    setNotice(t('options_saved', name));
    closeEditor();
    void load();
    // The popup should show the new settings' keys without waiting for the next alarm.
    const refreshFailed = (why: string) => setNotice(t('options_savedRefreshFailed', name, why));
    void sendMessage('refresh', { instance: name }).then(
      (reply) => reply.ok || refreshFailed(reply.error),
      (err: unknown) => refreshFailed(errorText(err)),
    );
  }

  // With no instance yet the form is the page's first task; otherwise it opens on request.
  const firstRun = instances?.length === 0;
  const form = editor ?? (firstRun ? { initial: emptyForm(), generation: -1 } : undefined);
  return (
    <main class="options">
      <BrandHeading>{t('options_title')}</BrandHeading>
      {loadError && (
        <p class="error" role="alert">
          {t('options_loadError', loadError)}
        </p>
      )}
      {lock && !lock.locked && instances && (
        <>
          <section aria-labelledby="instances-title">
            <div class="section-head">
              <h2 id="instances-title">{t('options_instances_heading')}</h2>
              {!form && (
                <button type="button" class="primary" data-testid="add-instance" onClick={() => openEditor(emptyForm())}>
                  {t('options_form_add')}
                </button>
              )}
            </div>
            <InstanceList instances={instances} statuses={statuses} now={now} onEdit={(inst) => openEditor(formFromView(inst), inst)} onRemoved={() => void load()} />
            {notice && (
              <p class="ok" role="status">
                {notice}
              </p>
            )}
            {form && (
              <InstanceEditor
                key={form.generation}
                initial={form.initial}
                editing={form.editing}
                existingNames={instances.map((inst) => inst.name)}
                onSaved={saved}
                onCancel={firstRun && !form.editing ? undefined : closeEditor}
              />
            )}
          </section>
          <section aria-labelledby="config-title">
            <h2 id="config-title">{t('options_config_heading')}</h2>
            <ConfigImport onImported={() => void load()} />
            <ConfigExport hasPassphrase={!!lock?.hasPassphrase} />
          </section>
        </>
      )}
      {lock && (
        <section aria-labelledby="lock-title">
          <h2 id="lock-title">{t('options_lock_heading')}</h2>
          <LockSettings locked={lock.locked} hasPassphrase={lock.hasPassphrase} onChanged={() => void load()} />
        </section>
      )}
      <GeneralSettings />
      <section aria-labelledby="notify-title">
        <h2 id="notify-title">{t('options_notify_heading')}</h2>
        <NotifySettings />
      </section>
    </main>
  );
}
