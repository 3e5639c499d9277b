import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

// The popup and the content script carry no zod at all (their bundle tests check that).
describe('zod runs jitless in every extension entrypoint that carries it', () => {
  it.each(['entrypoints/background.ts', 'entrypoints/options/main.tsx'])(
    '%s imports ext/zod-jitless before anything else',
    async (file) => {
      const firstImport = (await readFile(path.join(root, file), 'utf8')).match(/^import .*$/m)?.[0];
      expect(firstImport).toMatch(/^import '(?:\.\.\/)+ext\/zod-jitless';$/);
    },
  );

  it('parses objects without ever calling new Function', async () => {
    const { z } = await import('zod');
    await import('./zod-jitless');
    const original = globalThis.Function;
    let compiled = 0;
    globalThis.Function = new Proxy(original, { construct: (...args) => (compiled++, Reflect.construct(...args)) }) as FunctionConstructor;
    try {
      expect(z.object({ a: z.string(), b: z.object({ c: z.number() }) }).parse({ a: 'x', b: { c: 1 } })).toEqual({ a: 'x', b: { c: 1 } });
    } finally {
      globalThis.Function = original;
    }
    expect(compiled).toBe(0);
  });
});
