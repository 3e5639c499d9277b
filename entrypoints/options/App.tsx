import { useCallback, useEffect, useState } from 'preact/hooks';
import type { InstanceView } from '../../lib/messages';
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

/** `#add?url=…&vendor=…` (from the console button) opens the add form prefilled. */
function editorFromHash(generation: number): Editor {
  return { initial: parseAddHash(location.hash) ?? emptyForm(), generation };
}

export function OptionsApp() {
  const [lock, setLock] = useState<{ locked: boolean; hasPassphrase: boolean }>();
  const [instances, setInstances] = useState<InstanceView[]>([]);
  const [loadError, setLoadError] = useState<string>();
  const [editor, setEditor] = useState<Editor>(() => editorFromHash(0));
  const [notice, setNotice] = useState<string>();

  const load = useCallback(async () => {
    try {
      const state = await sendMessage('state:get');
      setLock({ locked: state.locked, hasPassphrase: state.hasPassphrase });
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
      if (parseAddHash(location.hash)) setEditor((e) => editorFromHash(e.generation + 1));
    };
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);

  function startAdding() {
    setEditor((e) => ({ initial: emptyForm(), generation: e.generation + 1 }));
  }

  function saved(name: string) {
    setNotice(t('options_saved', name));
    // A reload of the page must not prefill the form again from the console button's #add link.
    if (parseAddHash(location.hash)) history.replaceState(null, '', location.pathname + location.search);
    startAdding();
    void load();
    // The popup should show the new settings' keys without waiting for the next alarm.
    const refreshFailed = (why: string) => setNotice(t('options_savedRefreshFailed', name, why));
    void sendMessage('refresh', { instance: name }).then(
      (reply) => reply.ok || refreshFailed(reply.error),
      (err: unknown) => refreshFailed(errorText(err)),
    );
  }

  return (
    <main class="options">
      <BrandHeading>{t('options_title')}</BrandHeading>
      {loadError && (
        <p class="error" role="alert">
          {t('options_loadError', loadError)}
        </p>
      )}
      {lock && !lock.locked && (
        <>
          <section aria-labelledby="instances-title">
            <h2 id="instances-title">{t('options_instances_heading')}</h2>
            <InstanceList
              instances={instances}
              onEdit={(inst) => {
                setNotice(undefined);
                setEditor((e) => ({ initial: formFromView(inst), editing: inst, generation: e.generation + 1 }));
              }}
              onRemoved={() => void load()}
            />
            {notice && (
              <p class="ok" role="status">
                {notice}
              </p>
            )}
            <InstanceEditor
              key={editor.generation}
              initial={editor.initial}
              editing={editor.editing}
              existingNames={instances.map((inst) => inst.name)}
              onSaved={saved}
              onCancel={startAdding}
            />
          </section>
          <section aria-labelledby="config-title">
            <h2 id="config-title">{t('options_config_heading')}</h2>
            <ConfigImport onImported={() => void load()} />
            <ConfigExport hasPassphrase={!!lock?.hasPassphrase} />
          </section>
        </>
      )}
      <GeneralSettings />
      <section aria-labelledby="notify-title">
        <h2 id="notify-title">{t('options_notify_heading')}</h2>
        <NotifySettings />
      </section>
      {lock && (
        <section aria-labelledby="lock-title">
          <h2 id="lock-title">{t('options_lock_heading')}</h2>
          <LockSettings locked={lock.locked} hasPassphrase={lock.hasPassphrase} onChanged={() => void load()} />
        </section>
      )}
    </main>
  );
}
