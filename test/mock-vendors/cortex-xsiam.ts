import { startXsoarMock, type CortexUser, type XsoarApiKey, type XsoarMockOptions } from './cortex-xsoar';
import type { MockServer } from './server';

const DAY = 86_400_000;

/**
 * A Cortex XSIAM tenant: the XSOAR 8 mock answering as XSIAM (same public API), with its own keys
 * and users. soc.lead logs in every day; dana left (no login for 400 days); eve was invited and
 * never logged in; frank is no longer listed at all, so his keys are orphaned.
 */
export function xsiamDemoKeys(now: Date): XsoarApiKey[] {
  const at = (days: number) => now.getTime() + days * DAY;
  const key = (id: number, user: string, createdDaysAgo: number, expiresInDays: number | null, comment: string | null): XsoarApiKey => ({
    id,
    creation_time: at(-createdDaysAgo),
    created_by: user,
    user_name: user,
    roles: ['Investigator'],
    security_level: 'advanced',
    comment,
    expiration: expiresInDays === null ? null : at(expiresInDays),
  });
  return [
    key(101, 'soc.lead@tenant.example', 20, 45, 'SIEM forwarder'),
    key(102, 'dana@tenant.example', 500, null, 'legacy enrichment'),
    key(103, 'eve@tenant.example', 10, 5, 'onboarding test'),
    key(104, 'frank@tenant.example', 700, null, 'EDR sync'),
    key(105, 'FRANK@tenant.example', 30, 80, null),
  ];
}

export function xsiamDemoUsers(now: Date): CortexUser[] {
  const at = (days: number) => now.getTime() + days * DAY;
  return [
    { user_email: 'soc.lead@tenant.example', user_first_name: 'Sam', user_last_name: 'Lead', role_name: 'Instance Administrator', last_logged_in: at(-1), user_type: 'SSO', groups: ['SOC'] },
    { user_email: 'dana@tenant.example', user_first_name: 'Dana', role_name: 'Investigator', last_logged_in: at(-400), user_type: 'SSO' },
    { user_email: 'eve@tenant.example', role_name: 'Viewer', last_logged_in: null, user_type: 'CSP' },
  ];
}

export function startXsiamMock(options: XsoarMockOptions = {}): Promise<MockServer> {
  const now = options.now ?? new Date();
  return startXsoarMock({ apiKeys: xsiamDemoKeys(now), users: xsiamDemoUsers(now), ...options, product: 'cortex-xsiam' });
}
