import type { RollupLog } from 'rollup';
import { describe, expect, it, vi } from 'vitest';
import config from '../wxt.config';

/** The Rollup log filter of the extension build (wxt.config.ts): one harmless class of zod's warnings goes, the rest stays. */
describe('build log', () => {
  const onLog = async () => {
    const vite = await config.vite!({ browser: 'chrome', command: 'build', manifestVersion: 3, mode: 'production' });
    return vite.build!.rollupOptions!.onLog!;
  };
  const zodAnnotation: RollupLog = { code: 'INVALID_ANNOTATION', id: '/repo/node_modules/zod/v4/core/util.js', message: 'A comment … contains an annotation that Rollup cannot interpret' };

  it('drops the misplaced-annotation warnings from zod', async () => {
    const handler = vi.fn();
    (await onLog())('warn', zodAnnotation, handler);
    expect(handler).not.toHaveBeenCalled();
  });

  it('passes on the same warning from other code, and every other warning', async () => {
    const handler = vi.fn();
    const filter = await onLog();
    const ours: RollupLog = { ...zodAnnotation, id: '/repo/lib/csv.ts' };
    const other: RollupLog = { code: 'CIRCULAR_DEPENDENCY', id: '/repo/node_modules/zod/v4/core/util.js', message: 'Circular dependency' };
    filter('warn', ours, handler);
    filter('warn', other, handler);
    expect(handler.mock.calls).toEqual([
      ['warn', ours],
      ['warn', other],
    ]);
  });
});
