/** @vitest-environment happy-dom */
import { describe, expect, it } from 'vitest';
import { mount, unmount } from '../../test/support/dom';
import { InstanceFlags } from './instance-flags';

describe('popup row trust flags (docs/contract.md#trust-boundaries)', () => {
  it('says a parked credential is not sent, and warns about plain http to another machine', async () => {
    const root = await mount(<InstanceFlags inst={{ name: 'cloud', url: 'http://core.example:8008', parked: true }} />);
    expect(root.querySelector('[data-testid="instance-parked"]')!.textContent).toContain('edit or re-test');
    expect(root.querySelector('[data-testid="instance-plain-http"]')!.textContent).toContain('unencrypted');
    await unmount(root);
  });

  it('shows nothing for an https or loopback instance that is not parked', async () => {
    for (const url of ['https://core.example', 'http://127.0.0.1:8008']) {
      const root = await mount(<InstanceFlags inst={{ name: 'x', url }} />);
      expect(root.textContent).toBe('');
      await unmount(root);
    }
  });
});
