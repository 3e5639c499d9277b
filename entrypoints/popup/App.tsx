import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { PopupState } from '../../lib/messages';
import { sendMessage } from '../../ext/messaging';
import { errorText } from '../../ext/ui/format';
import { formatNumber, t, tCount } from '../../ext/i18n';
import { UnlockForm } from '../../ext/ui/unlock-form';
import { ExportBar, type ExportStatus, type KeyMode } from './export-bar';
import { InstanceList } from './instance-list';
import { Changes } from './changes';
import { KeyList } from './key-list';
import { LiveSessions } from './live-sessions';
import { Summary } from './summary';
import { Alert } from '../../ext/ui/alert';
import { BrandHeading } from '../../ext/ui/brand';

type Load = { kind: 'loading' } | { kind: 'failed'; error: string } | { kind: 'ready'; state: PopupState; at: number };

/** `pollMs`: how often the state is re-read while a refresh runs; `firstState`: the first state:get, already on its way. */
export function App({ pollMs = 500, firstState }: { pollMs?: number; firstState?: Promise<PopupState> }) {
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  // The refresh reply may come only when the refresh is over; polling starts at the click, not at the reply.
  const [refreshAsked, setRefreshAsked] = useState(false);
  const [refreshError, setRefreshError] = useState<string>();
  // How many instances the refresh that just ended could not read, for the live region.
  const [refreshFailed, setRefreshFailed] = useState<number>();
  const wasRefreshing = useRef(false);

  const asked = useRef(firstState);
  const reload = useCallback(async () => {
    try {
      const pending = asked.current ?? sendMessage('state:get');
      asked.current = undefined;
      const state = await pending;
      setLoad({ kind: 'ready', state, at: Date.now() });
    } catch (err) {
      setLoad({ kind: 'failed', error: errorText(err) });
    }
  }, []);

  // A layout effect asks at once; a plain effect would wait for the next animation frame, a
  // visible slice of the 100 ms first-render budget (docs/benchmarks.md#budgets).
  useLayoutEffect(() => {
    void reload();
  }, [reload]);

  const refreshing = load.kind === 'ready' && (refreshAsked || load.state.refreshing !== null);
  useEffect(() => {
    if (!refreshing) return;
    const timer = setTimeout(() => void reload(), pollMs);
    return () => clearTimeout(timer);
  }, [load, refreshing, pollMs, reload]);

  // The end of any refresh seen here (asked for in this popup or already running when it opened).
  useEffect(() => {
    if (refreshing) setRefreshFailed(undefined);
    else if (wasRefreshing.current && load.kind === 'ready') setRefreshFailed(load.state.instances.filter((inst) => inst.error).length);
    wasRefreshing.current = refreshing;
  }, [refreshing, load]);

  async function refresh() {
    setRefreshAsked(true);
    setRefreshError(undefined);
    try {
      const reply = await sendMessage('refresh', {});
      if (!reply.ok) setRefreshError(reply.error);
    } catch (err) {
      setRefreshError(errorText(err));
    } finally {
      setRefreshAsked(false);
      void reload();
    }
  }

  return (
    <main class="popup">
      <header class="top">
        <BrandHeading>{t('extName')}</BrandHeading>
        <button type="button" class="link" onClick={() => void browser.runtime.openOptionsPage()}>
          {t('popup_settings')}
        </button>
      </header>
      {load.kind === 'loading' && (
        <p class="status" role="status">
          {t('popup_loading')}
        </p>
      )}
      {load.kind === 'failed' && (
        <div>
          <Alert headline={t('popup_loadFailed')} text={load.error} />
          <button type="button" onClick={() => void reload()}>
            {t('popup_tryAgain')}
          </button>
        </div>
      )}
      {load.kind === 'ready' &&
        (load.state.locked ? (
          <UnlockForm onUnlocked={() => void reload()} />
        ) : load.state.instances.length === 0 ? (
          <FirstRun />
        ) : (
          <Dashboard
            state={load.state}
            now={load.at}
            refreshing={refreshing}
            refreshError={refreshError}
            refreshFailed={refreshFailed}
            onRefresh={() => void refresh()}
          />
        ))}
    </main>
  );
}

function FirstRun() {
  return (
    <section class="first-run">
      <p>{t('popup_firstRun')}</p>
      <button type="button" class="primary" onClick={() => void browser.runtime.openOptionsPage()}>
        {t('popup_addInstance')}
      </button>
      <LiveSessions mode="masked" />
    </section>
  );
}

interface DashboardProps {
  state: PopupState;
  now: number;
  refreshing: boolean;
  refreshError?: string;
  refreshFailed?: number;
  onRefresh: () => void;
}

function Dashboard({ state, now, refreshing, refreshError, refreshFailed, onRefresh }: DashboardProps) {
  const [mode, setMode] = useState<KeyMode>(state.defaultKeyMode ?? 'masked');
  const [exportStatus, setExportStatus] = useState<ExportStatus>({ kind: 'idle' });
  const [passphrase, setPassphrase] = useState('');
  // Sent only with full keys, and forgotten after each export.
  const withPassphrase = () => {
    const given = mode === 'full' && state.hasPassphrase ? { passphrase } : {};
    setPassphrase('');
    return given;
  };

  /** One instance, or every instance (with `evidence`: its manifest beside the CSV). */
  async function runExport(instance?: string, evidence?: true) {
    setExportStatus({ kind: 'running', instance });
    try {
      const reply = await sendMessage('export', { ...(instance === undefined ? {} : { instance }), keys: mode, ...withPassphrase(), ...(evidence ? { evidence } : {}) });
      setExportStatus(
        reply.ok
          ? {
              kind: 'done',
              fileName: reply.fileName,
              rows: reply.rows,
              errors: reply.errors ?? [],
              ...(reply.evidenceFileName ? { evidenceFileName: reply.evidenceFileName } : {}),
            }
          : { kind: 'failed', error: reply.error },
      );
    } catch (err) {
      setExportStatus({ kind: 'failed', error: errorText(err) });
    }
  }

  const progress = state.refreshing;
  const consoleUrls = useMemo(() => new Map(state.instances.flatMap((inst) => (inst.consoleUrl ? [[inst.name, inst.consoleUrl] as const] : []))), [state.instances]);
  return (
    <>
      <InstanceList instances={state.instances} now={now} exporting={exportStatus.kind === 'running'} onExport={(name) => void runExport(name)}>
        <button type="button" class="refresh" data-testid="refresh" disabled={refreshing} onClick={onRefresh}>
          {refreshing ? t('popup_refreshing') : t('popup_refresh')}
        </button>
      </InstanceList>
      {/* Always in the page, so screen readers hear the progress and the outcome as they change. */}
      <p class="progress" role="status">
        {progress ? (
          <span data-testid="refresh-progress">
            <progress max={progress.total} value={progress.done} aria-hidden="true" /> {tCount('popup_progress', progress.total, formatNumber(progress.done))}
          </span>
        ) : (
          !refreshing && !refreshError && refreshFailed !== undefined && (refreshFailed ? tCount('popup_refreshDoneFailed', refreshFailed) : t('popup_refreshDone'))
        )}
      </p>
      <Alert headline={t('popup_refreshFailed')} text={refreshError} />
      <Summary totals={state.totals} rotate={state.rotate} />
      <ExportBar
        mode={mode}
        status={exportStatus}
        onMode={setMode}
        onExportAll={() => void runExport()}
        onExportEvidence={() => void runExport(undefined, true)}
        hasPassphrase={state.hasPassphrase}
        passphrase={passphrase}
        onPassphrase={setPassphrase}
      />
      <KeyList initial={state.keys} timeline={state.timeline} total={state.totals.total} consoleUrls={consoleUrls} now={now} maxKeyAgeDays={state.maxKeyAgeDays} />
      <Changes instances={state.instances} />
      <LiveSessions mode={mode} passphrase={withPassphrase} />
    </>
  );
}
