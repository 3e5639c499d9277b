import type { VendorId } from '../vendors';
import type { ConsoleRoute } from './route';

/**
 * Every vendor whose console gets the "Export all keys" button (MetaDefender Cloud has no console
 * here; Cortex XSIAM and XDR consoles are only linked to, through a ConsoleLink).
 */
export type ConsoleVendorId = Exclude<VendorId, 'metadefender-cloud' | 'cortex-xsiam' | 'cortex-xdr'>;

/** A console KeyAtlas only links to (`open-console`, notification clicks): where its keys are managed. */
export interface ConsoleLink {
  vendor: VendorId;
  /** The page where this console's keys are managed (lib/consoles/route.ts `consoleUrl` builds the URL). */
  keysPage: ConsoleRoute;
  /** The console's origin when it is not the API's; the API origin otherwise. */
  consoleOrigin?(apiOrigin: string): string;
}

/**
 * Everything KeyAtlas knows about one vendor console's pages. Selectors live only here, proven
 * against the fixture HTML beside them (lib/consoles/consoles.test.ts).
 */
export interface ConsoleDef {
  vendor: ConsoleVendorId;
  /** The user / API-key management routes, where the "Export all keys" button belongs. */
  isKeysPage(url: URL): boolean;
  /**
   * The page where this console's keys are managed. Only a route: lib/consoles/route.ts
   * `consoleUrl` puts it under the instance's own origin, so no console file builds a URL itself.
   */
  keysPage: ConsoleRoute;
  /** The console's origin when it is not the API's (XSOAR: `api-<fqdn>` → `<fqdn>`); the API origin otherwise. */
  consoleOrigin?(apiOrigin: string): string;
  /** Each `yes` URL must match this console only; each `no` URL must not match it. */
  exampleUrls: { yes: string[]; no: string[] };
  /** CSS selectors of the element the button goes into, newest console version first. Keep them simple (no deep :has()). */
  anchors: string[];
  /**
   * The console's own button the "Export all keys" button takes its height, font and corners from
   * (looked for inside the anchor, then on the page), so it sits in the toolbar like one of its own.
   */
  buttonLike: string;
  /** Fixture files in lib/consoles/fixtures/ and how many elements the anchors match in each. */
  fixtures: [fileName: string, expectedAnchorCount: number][];
}
