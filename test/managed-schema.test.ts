import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseManagedPolicy } from '../lib/managed';
import { chromeManagedSchema, MANAGED_SCHEMA_FILE } from '../scripts/managed-schema';

const docs = join(import.meta.dirname, '..', 'docs', 'policies');

describe('managed policy schema and samples', () => {
  it('public/managed_schema.json is the zod schema in Chrome’s dialect (run scripts/managed-schema.ts when this fails)', () => {
    expect(JSON.parse(readFileSync(MANAGED_SCHEMA_FILE, 'utf8'))).toEqual(chromeManagedSchema());
  });

  it('Chrome’s copy checks types only: a value, entry or item it refuses would drop the whole policy value silently', () => {
    // test/e2e/chromium-policy.test.ts proves the consequence in Chromium: the extension drops the bad entry alone and says so.
    const keywords = new Set<string>();
    const walk = (node: unknown): void => {
      if (typeof node !== 'object' || node === null) return;
      for (const [key, value] of Object.entries(node)) {
        keywords.add(key);
        if (key === 'properties') Object.values(value as object).forEach(walk);
        else walk(value);
      }
    };
    walk(chromeManagedSchema());
    expect([...keywords].sort()).toEqual(['items', 'properties', 'type']);
  });

  it('the Chrome (Linux) and Firefox sample policies are valid KeyAtlas policies, the same one', () => {
    const chrome = JSON.parse(readFileSync(join(docs, 'chrome-linux.json'), 'utf8')) as { '3rdparty': { extensions: Record<string, unknown> } };
    // Firefox reads `3rdparty.Extensions` (capital E, test/e2e/managed-policy.test.ts uses the same); Chrome `3rdparty.extensions`.
    const firefox = JSON.parse(readFileSync(join(docs, 'firefox-policies.json'), 'utf8')) as { policies: { '3rdparty': { Extensions: Record<string, unknown> } } };
    const fromChrome = Object.values(chrome['3rdparty'].extensions)[0];
    const fromFirefox = firefox.policies['3rdparty'].Extensions['keyatlas@keyatlas.dev'];
    expect(parseManagedPolicy(fromChrome).problems).toEqual([]);
    expect(fromFirefox).toEqual(fromChrome);
  });

  it('the Windows and macOS samples carry the same instances and settings', () => {
    const reg = readFileSync(join(docs, 'chrome-windows.reg'), 'utf16le');
    const plist = readFileSync(join(docs, 'chrome-macos.mobileconfig'), 'utf8');
    const chrome = JSON.parse(readFileSync(join(docs, 'chrome-linux.json'), 'utf8')) as { '3rdparty': { extensions: Record<string, { instances: unknown[] }> } };
    const policy = Object.values(chrome['3rdparty'].extensions)[0]!;
    // Windows policies take complex values as JSON strings.
    const instancesLine = /"instances"="(.*)"/.exec(reg)?.[1]?.replace(/\\"/g, '"');
    expect(JSON.parse(instancesLine ?? 'null')).toEqual(policy.instances);
    for (const inst of policy.instances as { name: string; url?: string }[]) {
      expect(plist).toContain(`<string>${inst.name}</string>`);
      if (inst.url) expect(plist).toContain(`<string>${inst.url}</string>`);
    }
    expect(reg).not.toMatch(/apiKey|password/i);
    expect(plist).not.toMatch(/apiKey|password/i);
  });
});
