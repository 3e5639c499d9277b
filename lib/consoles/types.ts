import type { VendorId } from '../vendors';

/**
 * Every vendor whose console gets the "Export all keys" button (MetaDefender Cloud has no console
 * here; Cortex XSIAM and XDR consoles are only linked to, through a ConsoleLink).
 */
export type ConsoleVendorId = Exclude<VendorId, 'metadefender-cloud' | 'cortex-xsiam' | 'cortex-xdr'>;

/** A console KeyAtlas only links to (`open-console`, notification clicks): where its keys are managed. */
export interface ConsoleLink {
  vendor: VendorId;
  /** The page where this console's keys are managed, for the instance whose API base URL is `base`. */
  keysPageUrl(base: URL): string;
}

/**
 * Everything KeyAtlas knows about one vendor console's pages. Selectors live only here, proven
 * against the fixture HTML beside them (lib/consoles/consoles.test.ts).
 */
export interface ConsoleDef {
  vendor: ConsoleVendorId;
  /** The user / API-key management routes, where the "Export all keys" button belongs. */
  isKeysPage(url: URL): boolean;
  /** The page where this console's keys are managed, for the instance whose API base URL is `base`. */
  keysPageUrl(base: URL): string;
  /** Each `yes` URL must match this console only; each `no` URL must not match it. */
  exampleUrls: { yes: string[]; no: string[] };
  /** CSS selectors of the element the button goes into, newest console version first. Keep them simple (no deep :has()). */
  anchors: string[];
  /** Fixture files in lib/consoles/fixtures/ and how many elements the anchors match in each. */
  fixtures: [fileName: string, expectedAnchorCount: number][];
}
