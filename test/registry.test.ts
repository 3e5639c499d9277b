import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adapters } from '../lib/apis/index';
import { consoles } from '../lib/consoles/index';
import { VENDOR_IDS } from '../lib/vendors';

const ROOT = join(import.meta.dirname, '..');

/** Adding a vendor means one adapter, one mock, maybe one console, a row in the contract's vendor table: this keeps it so. */
describe.each(VENDOR_IDS)('vendor %s', (vendor) => {
  it('has an adapter registered under its id, in a file named after it', () => {
    expect(adapters[vendor].id).toBe(vendor);
    expect(existsSync(join(ROOT, 'lib/apis', `${vendor}.ts`))).toBe(true);
    expect(existsSync(join(ROOT, 'lib/apis', `${vendor}.test.ts`))).toBe(true);
  });

  it('has a console file, for "open in console"', () => {
    expect(existsSync(join(ROOT, 'lib/consoles', `${vendor}.ts`))).toBe(true);
  });

  it('has a mock server', () => {
    expect(existsSync(join(ROOT, 'test/mock-vendors', `${vendor}.ts`))).toBe(true);
  });

  it('has a row in the vendor table of docs/contract.md', () => {
    expect(readFileSync(join(ROOT, 'docs/contract.md'), 'utf8')).toMatch(new RegExp(`^\\|[^|\\n]+\\| \`${vendor}\` \\|`, 'm'));
  });
});

describe.each(Object.values(consoles))('console of $vendor', (def) => {
  it('has fixtures on disk, and a mock console', () => {
    const { vendor } = def;
    expect(def.fixtures.length).toBeGreaterThan(0);
    for (const [file] of def.fixtures) expect(existsSync(join(ROOT, 'lib/consoles/fixtures', file))).toBe(true);
    expect(existsSync(join(ROOT, 'test/mock-vendors/consoles', `${vendor}.ts`))).toBe(true);
  });
});

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'fixtures' ? [] : sources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('lib/ is plain TypeScript', () => {
  // The engine runs in Node (CLI, tests) and in every extension context: no browser glue in it.
  it.each(sources(join(ROOT, 'lib')).map((p) => relative(ROOT, p)))('%s imports no wxt, browser or chrome API', (file) => {
    const code = readFileSync(join(ROOT, file), 'utf8');
    expect(code).not.toMatch(/from ['"](wxt|#imports|webextension-polyfill)/);
    expect(code).not.toMatch(/\b(browser|chrome)\.(runtime|storage|tabs|downloads|scripting|webRequest|alarms|action)\b/);
  });
});
