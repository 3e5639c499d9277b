import type { InstanceStatus } from '../../lib/messages';
import { t, tCount } from '../i18n';

/** How an instance's last read ended, as the popup and the options page mark it (docs/design.md#tokens). */
export type ReadState = 'ok' | 'warnings' | 'incomplete' | 'failed' | 'parked' | 'unread';

export type ReadFacts = Pick<InstanceStatus, 'lastRefresh' | 'error' | 'errorKind' | 'warnings' | 'parked'>;

/**
 * A parked credential outranks the failure that parked it (nothing is sent until the user acts),
 * and any failure outranks an earlier good read: complete or loud (docs/contract.md#outcomes).
 */
export function readState(inst: ReadFacts): ReadState {
  if (inst.parked) return 'parked';
  if (inst.error) return inst.errorKind === 'incomplete' ? 'incomplete' : 'failed';
  if (!inst.lastRefresh) return 'unread';
  return inst.warnings?.length ? 'warnings' : 'ok';
}

const GLYPHS: Record<ReadState, string> = { ok: '✓', warnings: '⚠', incomplete: '✕', failed: '✕', parked: '⏸', unread: '○' };

function stateText(state: ReadState, warnings: number): string {
  switch (state) {
    case 'ok':
      return t('state_ok');
    case 'warnings':
      return tCount('state_warnings', warnings);
    case 'incomplete':
      return t('state_incomplete');
    case 'failed':
      return t('state_failed');
    case 'parked':
      return t('state_parked');
    case 'unread':
      return t('state_unread');
  }
}

/** The state as a word in its colour; the glyph only repeats it for the eye. */
export function ReadStateMark({ inst }: { inst: ReadFacts }) {
  const state = readState(inst);
  return (
    <span class={`state state-${state}`} data-testid="read-state" data-state={state}>
      <span aria-hidden="true">{GLYPHS[state]}</span>
      {stateText(state, inst.warnings?.length ?? 0)}
    </span>
  );
}
