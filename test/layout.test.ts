import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const PRODUCTION = ['lib', 'ext', 'cli', 'entrypoints'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** The project file a relative specifier names, as the bundler resolves it; packages and assets are not followed. */
function resolveLocal(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  return [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')].find((path) => /\.tsx?$/.test(path) && existsSync(path));
}

/** Every local import of each file: static, dynamic, re-exports and type-only ones alike. */
function importGraph(roots: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of roots.flatMap((dir) => files(join(ROOT, dir)))) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    graph.set(file, importedFiles.map(({ fileName }) => resolveLocal(file, fileName)).filter((path): path is string => path !== undefined));
  }
  return graph;
}

/** Each cycle found by a depth-first walk, as the chain of files that closes it. */
function importCycles(graph: Map<string, string[]>): string[][] {
  const done = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (file: string) => {
    const open = stack.indexOf(file);
    if (open >= 0) {
      cycles.push([...stack.slice(open), file]);
      return;
    }
    if (done.has(file)) return;
    stack.push(file);
    for (const next of graph.get(file) ?? []) visit(next);
    stack.pop();
    done.add(file);
  };
  for (const file of graph.keys()) visit(file);
  return cycles;
}

describe('the import graph', () => {
  it('finds a cycle when there is one (the check itself works)', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(importCycles(graph)).toEqual([['a', 'b', 'c', 'a']]);
    expect(importCycles(new Map([['a', ['b']], ['b', []]]))).toEqual([]);
  });

  it(`has no cycle in ${PRODUCTION.join('/, ')}/`, () => {
    const graph = importGraph(PRODUCTION);
    // A resolver that silently followed nothing would pass every time.
    expect(graph.get(join(ROOT, 'cli/keyatlas.ts'))).toContain(join(ROOT, 'cli/inventory-command.ts'));
    expect(graph.get(join(ROOT, 'lib/messages.ts'))).toContain(join(ROOT, 'lib/managed.ts'));
    const cycles = importCycles(graph).map((cycle) => cycle.map((file) => relative(ROOT, file)).join(' → '));
    expect(cycles).toEqual([]);
  });
});

describe('test helpers live under test/', () => {
  // Helpers among production files get bundled by mistake and make the tree lie about what ships.
  const helperLike = (name: string) => /^(test|mock|fake|stub)s?[-_.]|fixture/i.test(name) && !/\.test\.tsx?$/.test(name);

  it('recognises a helper by its name', () => {
    for (const name of ['test-support.ts', 'test-dom.ts', 'test-fixtures.ts', 'ui-fixtures.tsx', 'fake-storage.ts', 'mock-server.ts']) expect(helperLike(name), name).toBe(true);
    for (const name of ['keys-view.ts', 'keys-view.test.ts', 'App.test.tsx', 'latest.ts', 'build-test-extension.ts']) expect(helperLike(name), name).toBe(false);
  });

  it.each([...PRODUCTION, 'scripts', 'bench'])('%s/ holds none', (dir) => {
    const helpers = files(join(ROOT, dir))
      .filter((path) => helperLike(path.split('/').pop()!))
      .map((path) => relative(ROOT, path));
    expect(helpers).toEqual([]);
  });
});

describe('.gitignore', () => {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  const inGit = (() => {
    try {
      return git('rev-parse', '--is-inside-work-tree').trim() === 'true';
    } catch {
      return false;
    }
  })();

  it.skipIf(!inGit)('ignores exports by their default names, in every format, and no tracked file', () => {
    const exports = ['keyatlas-2026-03-10.csv', 'keyatlas-2026-03-10.json', 'keyatlas-2026-03-10.ndjson', 'reports/keyatlas-all-2026-03-10.json'];
    const kept = ['keyatlas.json', 'keyatlas.schema.json', 'docs/policies/chrome-linux.json'];
    const ignored = (paths: string[]) => {
      const run = spawnSync('git', ['check-ignore', '--no-index', '--stdin'], { cwd: ROOT, encoding: 'utf8', input: paths.join('\n') });
      // 0: some paths ignored, 1: none; anything else is git failing.
      expect(run.status, run.stderr).toBeLessThanOrEqual(1);
      return run.stdout.split('\n').filter(Boolean);
    };
    expect(ignored(exports)).toEqual(exports);
    expect(ignored(kept)).toEqual([]);
    expect(git('ls-files', '--cached', '--ignored', '--exclude-standard')).toBe('');
  });
});
