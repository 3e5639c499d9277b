/** @vitest-environment happy-dom */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { setValue, useMounted } from '../../test/support/dom';
import { emptyForm } from '../../ext/ui/instance-form';
import { t } from '../../ext/i18n';
import { InstanceEditor } from './instance-editor';

vi.mock('../../ext/messaging', () => ({ sendMessage: vi.fn() }));

const ui = useMounted();
let container: HTMLElement | undefined;
beforeEach(() => {
  container = undefined;
  vi.spyOn(fakeBrowser.permissions, 'contains').mockResolvedValue(false);
});

async function urlWarningFor(url: string): Promise<string | undefined> {
  container ??= await ui.mount(<InstanceEditor initial={emptyForm('metadefender-vault')} existingNames={[]} onSaved={() => undefined} onCancel={() => undefined} />);
  await setValue(container.querySelector('[name="url"]'), url);
  return container.querySelector('[data-field="url"] .warning')?.textContent ?? undefined;
}

describe('options form: plain http to another machine (docs/contract.md#calls-and-origins)', () => {
  it('warns under the URL field while the URL is http:// to a remote host, and only then', async () => {
    const warning = t('options_plainHttpWarning');
    expect(warning).toContain('unencrypted');
    expect(await urlWarningFor('http://vault.corp.example:8000')).toContain(warning);
    expect(await urlWarningFor('http://10.1.2.3')).toContain(warning);
    expect(await urlWarningFor('https://vault.corp.example:8000')).toBeUndefined();
    expect(await urlWarningFor('http://127.0.0.1:8000')).toBeUndefined();
    expect(await urlWarningFor('http://localhost:8000')).toBeUndefined();
    expect(await urlWarningFor('http://[::1]:8000')).toBeUndefined();
    // Typing it back to a remote http URL brings the warning back.
    expect(await urlWarningFor('http://vault.corp.example')).toContain(warning);
  });
});
