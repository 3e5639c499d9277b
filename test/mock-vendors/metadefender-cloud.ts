import { header, startMock, type MockOptions, type MockServer } from './server';

export const CLOUD_FREE_KEY = 'CLOUD-FREE-APIKEY-1981b1387c84f2f1465ae14994b96c5c';
export const CLOUD_PAID_KEY = 'CLOUD-PAID-APIKEY-8d2e4f6a1b3c5d7e9f0a2b4c6d8e0f1a';
export const CLOUD_EXPIRED_KEY = 'CLOUD-EXPIRED-APIKEY-3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b';

const DAY_MS = 86_400_000;

/** The `/v4/apikey/` reply per key (docs/contract.md#metadefender-cloud shape); dates relative to `now`. */
export function cloudKeys(now: Date = new Date()): Record<string, Record<string, unknown>> {
  const at = (days: number) => new Date(now.getTime() + days * DAY_MS).toISOString();
  const limits = { max_upload_file_size: 140, max_archive_file_size: 140, max_archive_file_number: 50, limit_prevention: 40, limit_sandbox: 1, limit_feed: 1000, votes: [], vulnerability_submissions: [], workflow_rule: 0 };
  return {
    [CLOUD_FREE_KEY]: { ...limits, limit_reputation: 4000, qos_scan: 'normal', created_at: at(-400), updated_at: at(-30), portal_api_key: CLOUD_FREE_KEY, source: 'mdcloud_fingerprint', expiration_date: '1970-01-01T00:00:00.000Z', time_interval: 'daily', nickname: 'throbbing_band_caae', paid_user: 0 },
    [CLOUD_PAID_KEY]: { ...limits, limit_reputation: 100000, qos_scan: 'priority', created_at: at(-345), updated_at: at(-2), portal_api_key: CLOUD_PAID_KEY, source: 'portal', expiration_date: at(20), time_interval: 'daily', nickname: 'soc-team-prod', paid_user: 1 },
    [CLOUD_EXPIRED_KEY]: { ...limits, limit_reputation: 50000, qos_scan: 'priority', created_at: at(-730), updated_at: at(-370), portal_api_key: CLOUD_EXPIRED_KEY, source: 'portal', expiration_date: at(-5), time_interval: 'daily', nickname: 'legacy-integration', paid_user: true },
  };
}

export interface CloudMockOptions extends MockOptions {
  keys?: Record<string, Record<string, unknown>>;
  now?: Date;
  /**
   * Variants (test/vendor-variants.md): `date-only` writes dates without a time (`2026-03-21`,
   * `1970-01-01`); `ip-blocked` answers every call with 403 code 403002, as after repeated wrong keys.
   */
  variant?: 'date-only' | 'ip-blocked';
}

/** MetaDefender Cloud v4 `GET /v4/apikey/` with its `{"error": {"code", "messages"}}` errors. */
export async function startCloudMock(options: CloudMockOptions = {}): Promise<MockServer> {
  const keys = options.keys ?? cloudKeys(options.now);
  return startMock(
    'metadefender-cloud',
    (req) => {
      const path = req.path.split('?')[0];
      if (req.method !== 'GET' || (path !== '/v4/apikey/' && path !== '/v4/apikey')) return undefined;
      if (options.variant === 'ip-blocked')
        return { status: 403, json: { error: { code: 403002, messages: ['Access temporarily blocked from this IP address'] } } };
      const apikey = header(req, 'apikey');
      if (!apikey) return { status: 401, json: { error: { code: 401006, messages: 'Authentication strategy is invalid' } } };
      const info = keys[apikey];
      if (!info) return { status: 404, json: { error: { code: 404008, messages: ['The apikey was not found'] } } };
      if (options.variant !== 'date-only') return { json: info };
      const day = (value: unknown) => (typeof value === 'string' ? value.slice(0, 10) : value);
      return { json: { ...info, created_at: day(info.created_at), expiration_date: day(info.expiration_date) } };
    },
    options,
  );
}
