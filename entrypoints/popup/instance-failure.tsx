import type { FailureKind } from '../../lib/apis/errors';
import type { InstanceStatus } from '../../lib/messages';
import { t, type MessageKey } from '../../ext/i18n';

const HEADLINES: Record<FailureKind | 'internal', MessageKey> = {
  auth: 'popup_failure_auth',
  license: 'popup_failure_license',
  http: 'popup_failure_http',
  network: 'popup_failure_network',
  tls: 'popup_failure_tls',
  timeout: 'popup_failure_timeout',
  format: 'popup_failure_format',
  paging: 'popup_failure_paging',
  incomplete: 'popup_instanceIncomplete',
  unsupported: 'popup_failure_unsupported',
  internal: 'popup_failure_internal',
};

/** The headline for a failure kind in the UI language; a kind this build does not know still reads as a failure. */
export function failureHeadline(kind: string | undefined): string {
  return t(HEADLINES[kind as keyof typeof HEADLINES] ?? 'popup_failure_unknown');
}

/**
 * An instance's failed read: what kind of failure in the UI language, then lib/'s own message below
 * it. That message is English on purpose (the CLI shows the same text) and is marked so.
 */
export function InstanceFailure({ inst }: { inst: Pick<InstanceStatus, 'error' | 'errorKind'> }) {
  if (!inst.error) return null;
  return (
    <div class="failure">
      <p class="error error-headline">{failureHeadline(inst.errorKind)}</p>
      <p class="error" data-testid="instance-error" lang="en">
        {inst.error}
      </p>
    </div>
  );
}
