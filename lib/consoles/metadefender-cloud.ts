import { consoleUrl } from './route';

/** The public MetaDefender Cloud API host; its account pages live on the portal host instead. */
const CLOUD_API_HOST = 'api.metadefender.com';
const CLOUD_PORTAL = 'https://metadefender.opswat.com';

/**
 * MetaDefender Cloud has no console KeyAtlas adds a button to, only the account page where the
 * key's licence is renewed (docs/contract.md#metadefender-cloud). A custom API URL (a proxy or a test server) keeps its own host.
 */
export function cloudAccountUrl(base: URL): string {
  const page = { route: '/account', routing: 'path' } as const;
  return base.hostname === CLOUD_API_HOST ? consoleUrl(CLOUD_PORTAL, '', page) : consoleUrl(base.origin, base.pathname, page);
}
