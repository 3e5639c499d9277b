import type { InstanceStatus } from '../../lib/messages';
import { t } from '../../ext/i18n';
import { isPlainHttpRemote } from '../../lib/cleartext';

/** docs/contract.md#trust-boundaries on a popup row: a parked credential, and plain http to another machine. */
export function InstanceFlags({ inst }: { inst: Pick<InstanceStatus, 'name' | 'url' | 'parked'> }) {
  return (
    <>
      {inst.parked && (
        <p class="error" data-testid="instance-parked">
          {t('popup_instanceParked')}
        </p>
      )}
      {isPlainHttpRemote(inst.url) && (
        <p class="warning" data-testid="instance-plain-http">
          {t('popup_instancePlainHttp')}
        </p>
      )}
    </>
  );
}
