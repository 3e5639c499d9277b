import { render, type ComponentChild } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';

/** Renders into a fresh container attached to the document, effects flushed. */
export async function mount(node: ComponentChild): Promise<HTMLElement> {
  const container = document.createElement('div');
  document.body.append(container);
  await act(() => {
    render(node, container);
  });
  return container;
}

export async function unmount(container: HTMLElement): Promise<void> {
  await act(() => {
    render(null, container);
  });
  container.remove();
}

/**
 * Lets pending promises and renders run, one macrotask turn at a time, until `probe` returns
 * something truthy: waits on a condition, never on a clock.
 */
export async function until<T>(probe: () => T | null | undefined | false, what: string): Promise<T> {
  for (let turn = 0; turn < 100; turn++) {
    const value = probe();
    if (value) return value;
    await act(() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
  }
  throw new Error(`gave up waiting for ${what}`);
}

export function byTestId<E extends Element = HTMLElement>(root: ParentNode, id: string): E | null {
  return root.querySelector<E>(`[data-testid="${id}"]`);
}

/** The button (or other element) whose trimmed text is exactly `text`. */
export function byText<E extends Element = HTMLElement>(root: ParentNode, text: string, selector = 'button'): E | null {
  return [...root.querySelectorAll<E>(selector)].find((el) => el.textContent?.trim() === text) ?? null;
}

export async function click(el: Element | null): Promise<void> {
  if (!el) throw new Error('nothing to click');
  await act(() => {
    (el as HTMLElement).click();
  });
}

/** Sets a form control's value the way typing or choosing does, firing input and change. */
export async function setValue(el: Element | null, value: string): Promise<void> {
  if (!el) throw new Error('no form control');
  await act(() => {
    const control = el as HTMLInputElement | HTMLSelectElement;
    control.value = value;
    control.dispatchEvent(new Event('input', { bubbles: true }));
    control.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

/**
 * The hooks every component test file needs: a fresh fake browser before each test; after it, the
 * mounted component unmounted and spies restored. Use the returned `mount` in place of the plain one.
 */
export function useMounted(): { mount(node: ComponentChild): Promise<HTMLElement> } {
  let mounted: HTMLElement | undefined;
  beforeEach(() => {
    fakeBrowser.reset();
  });
  afterEach(async () => {
    if (mounted) await unmount(mounted);
    mounted = undefined;
    vi.restoreAllMocks();
  });
  return {
    async mount(node) {
      mounted = await mount(node);
      return mounted;
    },
  };
}
