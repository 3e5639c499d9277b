/** Bundles cli/keyatlas.ts into `outdir` (default `dist/cli`, relative to the repository), emptied first. */
export function buildCli(outdir?: string): Promise<void>;
