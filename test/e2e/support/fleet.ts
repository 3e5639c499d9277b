import Papa from 'papaparse';
import { parseConfig, resolveSecrets } from '../../../lib/config';
import type { ConsoleVendorId } from '../../../lib/consoles';
import { CSV_COLUMNS, toCsv } from '../../../lib/csv';
import type { Coverage } from '../../../lib/coverage';
import { runInventory, type InventoryResult } from '../../../lib/inventory';
import { bucketize, type Buckets, type KeyRecord } from '../../../lib/record';
import type { VendorId } from '../../../lib/vendors';
import { consoleSites } from '../../mock-vendors/consoles/index';
import { startMockFleet, type MockFleet } from '../../mock-vendors/index';

export type CsvRow = Record<(typeof CSV_COLUMNS)[number], string>;

/** docs/contract.md#cortex-xsoar-xsiam-and-xdr: the console is `<fqdn>`, the API `api-<fqdn>`; the browser maps both to 127.0.0.1. */
export const XSOAR_TENANT = 'tenant.keyatlas.test';
/** Chromium flag that resolves every test name to the mocks. */
export const HOST_RESOLVER_RULES = 'MAP *.keyatlas.test 127.0.0.1';

/** How far back the mocks' clock is set, so days left never turn between two reads of one test. */
export const HALF_DAY_MS = 43_200_000;

export interface BrowserFleet {
  fleet: MockFleet;
  /** The configuration (docs/contract.md#configuration) the browser imports: XSOAR by its real-looking API name. */
  browserConfig: { instances: Record<string, unknown>[] };
  instanceNames: string[];
  nameOf(vendor: VendorId): string;
  consoleUrls(vendor: ConsoleVendorId): { home: string; keys: string };
  /** What the engine (lib/inventory, the CLI's code path) reads from the same mocks now, every instance read. */
  expected(): Promise<{ records: KeyRecord[]; buckets: Buckets; rows: CsvRow[]; coverage: Record<string, Coverage> }>;
  /** The engine's read of the same mocks now, as it is (failures and warnings included). */
  engine(): Promise<InventoryResult>;
  close(): Promise<void>;
}

/** The fleet's configuration (docs/contract.md#configuration) as a browser imports it: XSOAR by its `api-<tenant>` name. */
export function browserConfigOf(fleet: MockFleet): { instances: Record<string, unknown>[] } {
  const port = new URL(fleet.servers['cortex-xsoar'].url).port;
  return { instances: fleet.config.instances.map((inst) => (inst.vendor === 'cortex-xsoar' ? { ...inst, url: `http://api-${XSOAR_TENANT}:${port}` } : inst)) };
}

/** Where a vendor's console lives as the browser reaches it (XSOAR: the bare tenant name). */
export function consoleOriginOf(fleet: MockFleet, vendor: ConsoleVendorId): string {
  return vendor === 'cortex-xsoar' ? `http://${XSOAR_TENANT}:${new URL(fleet.servers[vendor].url).port}` : fleet.servers[vendor].url;
}

/** The console's landing route and its (first) key page, as full URLs. */
export function consoleUrlsOf(fleet: MockFleet, vendor: ConsoleVendorId): { home: string; keys: string } {
  const site = consoleSites[vendor];
  const at = (route: string) => `${consoleOriginOf(fleet, vendor)}${site.routing === 'hash' ? `/#${route}` : route}`;
  return { home: at(site.home), keys: at(Object.keys(site.pages)[0]!) };
}

/**
 * The five mock consoles for a browser test, plus the engine's reading of them: every expected
 * count and row comes from lib/ over real HTTP, never from a number written in a test.
 */
export async function startBrowserFleet(): Promise<BrowserFleet> {
  // The mocks put expiries a whole number of days from their `now`. Half a day back, every
  // days_left stays the same however many seconds apart the browser and this process read.
  const fleet = await startMockFleet({ now: new Date(Date.now() - HALF_DAY_MS) });
  // The engine reads XSOAR at 127.0.0.1: Node has no host-resolver rules, and the mock answers either name.
  const engineInstances = resolveSecrets(parseConfig(fleet.config), {});
  const engine = () => runInventory(engineInstances, { now: new Date() });
  return {
    fleet,
    browserConfig: browserConfigOf(fleet),
    instanceNames: fleet.config.instances.map((inst) => String(inst.name)),
    nameOf: (vendor) => String(fleet.config.instances.find((inst) => inst.vendor === vendor)!.name),
    consoleUrls: (vendor) => consoleUrlsOf(fleet, vendor),
    engine,
    async expected() {
      const { records, results } = await engine();
      const failed = results.filter((r) => !r.ok);
      if (failed.length) throw new Error(`the engine could not read the mocks: ${failed.map((r) => r.error?.message).join('; ')}`);
      return {
        records,
        buckets: bucketize(records),
        rows: parseCsv(toCsv(records, { keys: 'masked' })),
        coverage: Object.fromEntries(results.map((r) => [r.instance, r.coverage])),
      };
    },
    close: () => fleet.close(),
  };
}

/** docs/contract.md#csv-format CSV → rows, checking the BOM and the exact header on the way. */
export function parseCsv(csv: string): CsvRow[] {
  if (!csv.startsWith('\uFEFF')) throw new Error('the CSV has no UTF-8 BOM');
  const parsed = Papa.parse<CsvRow>(csv.slice(1), { header: true, newline: '\r\n', skipEmptyLines: true });
  if (parsed.errors.length) throw new Error(`the CSV does not parse: ${JSON.stringify(parsed.errors.slice(0, 3))}`);
  if (JSON.stringify(parsed.meta.fields) !== JSON.stringify(CSV_COLUMNS)) throw new Error(`unexpected CSV header ${JSON.stringify(parsed.meta.fields)}`);
  return parsed.data;
}

/** `YYYY-MM-DD` (UTC) as in the extension's file names. */
export function utcDate(date = new Date()): string {
  return date.toISOString().slice(0, 10);
}
