import { baseUrl, type ResolvedInstance } from './config';
import { isCortexVendor } from './vendors';

/**
 * Which web origin belongs to which configured instance (docs/contract.md#console-button). A console page is trusted only
 * through this mapping: the background derives the instance from the sender tab's origin with
 * `instanceForOrigin`, never from anything the page says.
 */

type InstanceRef = Pick<ResolvedInstance, 'vendor' | 'url'>;

// docs/contract.md#cortex-xsoar-xsiam-and-xdr: the API host is `api-<tenant fqdn>`, the console the bare `<tenant fqdn>`.
const XSOAR_API_PREFIX = 'api-';

/** `https://Host:8443/path` → `https://host:8443`; undefined for anything that is not an http(s) URL. */
export function normalizeOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

function withHostname(origin: string, hostname: string): string {
  const url = new URL(origin);
  url.hostname = hostname;
  return url.origin;
}

/** XSOAR API origin → console origin (`https://api-t.example` → `https://t.example`), port kept. */
export function xsoarConsoleOrigin(apiOrigin: string): string {
  const { hostname } = new URL(apiOrigin);
  return hostname.startsWith(XSOAR_API_PREFIX) ? withHostname(apiOrigin, hostname.slice(XSOAR_API_PREFIX.length)) : new URL(apiOrigin).origin;
}

/** XSOAR console origin → API origin (`https://t.example` → `https://api-t.example`), port kept. */
export function xsoarApiOrigin(consoleOrigin: string): string {
  const { hostname } = new URL(consoleOrigin);
  return hostname.startsWith(XSOAR_API_PREFIX) ? new URL(consoleOrigin).origin : withHostname(consoleOrigin, XSOAR_API_PREFIX + hostname);
}

function instanceOrigin(instance: InstanceRef): string | undefined {
  try {
    return normalizeOrigin(baseUrl(instance));
  } catch {
    return undefined;
  }
}

/** The origin of the instance's web console; undefined for MetaDefender Cloud, which has none here. */
export function consoleOriginFor(instance: InstanceRef): string | undefined {
  if (instance.vendor === 'metadefender-cloud') return undefined;
  const origin = instanceOrigin(instance);
  if (!origin) return undefined;
  return isCortexVendor(instance.vendor) ? xsoarConsoleOrigin(origin) : origin;
}

/**
 * The configured instance a page origin belongs to: its console origin, or its own API origin
 * (an XSOAR tenant is reached from `<fqdn>` and `api-<fqdn>` alike). First match wins.
 */
export function instanceForOrigin<T extends InstanceRef>(origin: string, instances: readonly T[]): T | undefined {
  const wanted = normalizeOrigin(origin);
  if (!wanted) return undefined;
  return instances.find((inst) => {
    const console = consoleOriginFor(inst);
    return console !== undefined && (console === wanted || instanceOrigin(inst) === wanted);
  });
}

/**
 * A match pattern for every page of an origin. Ports are dropped on purpose: Firefox rejects match
 * patterns with a port, and a pattern without one matches every port in both browsers.
 */
export function matchPatternFor(origin: string): string | undefined {
  const normalized = normalizeOrigin(origin);
  if (!normalized) return undefined;
  const url = new URL(normalized);
  return `${url.protocol}//${url.hostname}/*`;
}

/** The host permissions the options page requests for an instance: its API host and, for a Cortex tenant, its console host too. */
export function grantPatternsFor(instance: InstanceRef): string[] {
  const origin = instanceOrigin(instance);
  if (!origin) return [];
  const origins = isCortexVendor(instance.vendor) ? [xsoarApiOrigin(origin), xsoarConsoleOrigin(origin)] : [origin];
  return [...new Set(origins.map((o) => matchPatternFor(o)!))];
}
