import { startXsoarMock, type CortexUser, type XsoarApiKey, type XsoarMockOptions } from './cortex-xsoar';
import type { MockServer } from './server';

const DAY = 86_400_000;

/**
 * A Cortex XDR tenant: the XSOAR 8 mock answering as XDR (same public API), with the lower-case
 * reply and users whose fields come and go: ops logs in, gina left 120 days ago, hal never logged
 * in (no role either); ivan's key outlived his account.
 */
export function xdrDemoKeys(now: Date): XsoarApiKey[] {
  const at = (days: number) => now.getTime() + days * DAY;
  return [
    { id: 7, creation_time: at(-400), created_by: 'ops@xdr.example', user_name: 'ops@xdr.example', roles: ['Responder'], security_level: 'standard', comment: 'XDR broker', expiration: at(20) },
    { id: 8, creation_time: at(-90), created_by: 'gina@xdr.example', user_name: 'gina@xdr.example', roles: ['Viewer'], security_level: 'standard', comment: null, expiration: null },
    { id: 9, creation_time: at(-2), created_by: 'hal@xdr.example', user_name: 'hal@xdr.example', roles: ['Viewer'], security_level: 'advanced', comment: 'lab', expiration: at(-1) },
    { id: 10, creation_time: at(-1000), created_by: 'ivan@xdr.example', user_name: 'ivan@xdr.example', roles: ['Account Admin'], security_level: 'standard', comment: 'SOAR sync', expiration: null },
  ];
}

export function xdrDemoUsers(now: Date): CortexUser[] {
  const at = (days: number) => now.getTime() + days * DAY;
  return [
    { user_email: 'ops@xdr.example', user_first_name: 'Ops', role_name: 'Responder', last_logged_in: at(-10) },
    { user_email: 'gina@xdr.example', role_name: 'Viewer', last_logged_in: at(-120) },
    { user_email: 'hal@xdr.example' },
  ];
}

export function startXdrMock(options: XsoarMockOptions = {}): Promise<MockServer> {
  const now = options.now ?? new Date();
  return startXsoarMock({ apiKeys: xdrDemoKeys(now), users: xdrDemoUsers(now), upperCase: false, ...options, product: 'cortex-xdr' });
}
