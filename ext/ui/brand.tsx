import type { ComponentChildren } from 'preact';

/** The page heading with the extension's mark; the image is decorative, the heading says the name. */
export function BrandHeading({ children }: { children: ComponentChildren }) {
  return (
    <h1 class="brand">
      <img src="/icon/32.png" srcset="/icon/32.png 1x, /icon/96.png 3x" width={24} height={24} alt="" />
      {children}
    </h1>
  );
}
