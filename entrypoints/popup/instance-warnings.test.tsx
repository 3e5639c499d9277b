// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import type { InstanceStatus } from '../../lib/messages';
import { mount, unmount } from '../../test/support/dom';
import { InstanceList } from './instance-list';

const buckets = { total: 6, expired: 0, within7: 0, within30: 0, never: 6 };
const WARNING = 'core-prod (metadefender-core): directory names are unavailable (GET /admin/userdirectory failed with HTTP 500); owners show the directory id instead';
const INCOMPLETE = 'vault (metadefender-vault): the server announced 99 keys but delivered 40: the list is incomplete (the keys read are kept)';
const statuses: InstanceStatus[] = [
  { name: 'core-prod', vendor: 'metadefender-core', lastRefresh: new Date().toISOString(), ok: true, warnings: [WARNING, `${WARNING} (2)`], buckets },
  { name: 'vault', vendor: 'metadefender-vault', lastRefresh: new Date().toISOString(), ok: false, error: INCOMPLETE, errorKind: 'incomplete', buckets },
  { name: 'xsoar', vendor: 'cortex-xsoar', lastRefresh: new Date().toISOString(), ok: true, buckets },
];

let container: HTMLElement | undefined;
afterEach(() => {
  if (container) unmount(container);
  container = undefined;
});

describe('instance rows (docs/contract.md#outcomes)', () => {
  it('shows each warning inside its row, the incomplete error in words, and nothing extra on a clean row', async () => {
    container = await mount(<InstanceList instances={statuses} now={Date.now()} exporting={false} onExport={() => {}} />);
    const row = (name: string) => container!.querySelector<HTMLElement>(`[data-testid="instance-row"][data-instance="${name}"]`)!;
    expect([...row('core-prod').querySelectorAll('[data-testid="instance-warning"]')].map((w) => w.textContent)).toEqual([WARNING, `${WARNING} (2)`]);
    expect(row('core-prod').querySelector('ul.warnings')!.getAttribute('aria-label')).toBe('Warnings for core-prod');
    expect(row('core-prod').querySelector('[data-testid="instance-error"]')).toBeNull();
    expect(row('vault').querySelector('[data-testid="instance-error"]')!.textContent).toBe(INCOMPLETE);
    expect(row('vault').textContent).toContain('Incomplete: the server announced more keys than it delivered.');
    expect(row('xsoar').querySelectorAll('[data-testid="instance-warning"], [data-testid="instance-error"]')).toHaveLength(0);
  });

  it('heads each failure with its kind in the UI language, the English detail below it and marked English', async () => {
    const kinds = ['auth', 'license', 'http', 'network', 'tls', 'timeout', 'format', 'paging', 'incomplete', 'unsupported', 'internal', 'from-a-newer-build'];
    const failing = kinds.map((kind): InstanceStatus => ({ ...statuses[1]!, name: kind, errorKind: kind, error: `${kind} (metadefender-vault): detail` }));
    container = await mount(<InstanceList instances={failing} now={Date.now()} exporting={false} onExport={() => {}} />);
    const headlines = [...container.querySelectorAll('[data-testid="instance-row"]')].map((row) => {
      const detail = row.querySelector('[data-testid="instance-error"]')!;
      expect(detail.getAttribute('lang')).toBe('en');
      expect(detail.textContent).toBe(`${(row as HTMLElement).dataset.instance} (metadefender-vault): detail`);
      return row.querySelector('.error-headline')!.textContent;
    });
    expect(headlines).toEqual([
      'Credential refused',
      'The licence does not allow API access',
      'The server answered with an error',
      'Server not reachable',
      'Certificate not trusted',
      'No answer in time',
      'Unexpected answer from the server',
      "The server's key list does not add up",
      'Incomplete: the server announced more keys than it delivered. The keys read are kept.',
      'Not possible with this credential',
      'Internal error in KeyAtlas',
      'Could not be read',
    ]);
  });

  it('names the instance in each row export button', async () => {
    container = await mount(<InstanceList instances={statuses} now={Date.now()} exporting={false} onExport={() => {}} />);
    const buttons = [...container.querySelectorAll<HTMLButtonElement>('button.instance-export')];
    expect(buttons.map((b) => [b.textContent, b.getAttribute('aria-label')])).toEqual(statuses.map((s) => ['CSV', `Export the keys of ${s.name} as CSV`]));
  });
});
