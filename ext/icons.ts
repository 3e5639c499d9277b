/** The icon sizes the stores and browsers ask for; public/icon/<size>.png exists for each. */
export const ICON_SIZES = [16, 32, 48, 96, 128] as const;

/** The manifest's `icons` / `action.default_icon` map, paths relative to the extension root. */
export function iconMap(): Record<string, string> {
  return Object.fromEntries(ICON_SIZES.map((size) => [String(size), `icon/${size}.png`]));
}
