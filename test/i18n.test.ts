import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Every UI string comes from public/_locales (docs/contract.md#languages-and-accessibility): the locales agree key for key and placeholder for
 * placeholder, every key in code exists, and no TSX or console-button file carries a hard-coded UI text.
 */
const root = new URL('..', import.meta.url).pathname;
type Messages = Record<string, { message: string; description?: string; placeholders?: Record<string, { content: string }> }>;
const locales = readdirSync(join(root, 'public/_locales'));
const messages = Object.fromEntries(
  locales.map((lang) => [lang, JSON.parse(readFileSync(join(root, 'public/_locales', lang, 'messages.json'), 'utf8')) as Messages]),
);
const english = messages.en!;

/** `$1`… and `$name$` uses, so a translation cannot drop or invent a substitution. */
function placeholdersOf(entry: Messages[string]): string[] {
  const named = Object.entries(entry.placeholders ?? {}).map(([name, p]) => `${name}=${p.content}`);
  const used = [...entry.message.matchAll(/\$(\d|[A-Za-z0-9_@]+\$)/g)].map((m) => m[0].toLowerCase());
  return [...named, ...used].sort();
}

const uiDirs = ['entrypoints/popup', 'entrypoints/options', 'entrypoints/content', 'ext/ui', 'ext/background'];
function uiFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(tsx|ts)$/.test(name) && !/\.test\.|test-|\.d\.ts$/.test(name)) out.push(path);
    }
  };
  for (const dir of uiDirs) walk(join(root, dir));
  return out;
}

/** Attributes whose value a person reads or a screen reader speaks. */
const spokenAttributes = new Set(['aria-label', 'aria-description', 'title', 'placeholder', 'alt', 'label', 'aria-roledescription']);
const hasWords = (text: string) => /\p{L}{2,}/u.test(text);

function hardCodedTexts(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: string[] = [];
  const where = (node: ts.Node) => `${relative(root, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && hasWords(node.text)) found.push(`${where(node)} text "${node.text.trim()}"`);
    if (ts.isJsxAttribute(node) && spokenAttributes.has(node.name.getText()) && node.initializer) {
      const init = node.initializer;
      const literal = ts.isStringLiteral(init) ? init : ts.isJsxExpression(init) && init.expression && ts.isStringLiteralLike(init.expression) ? init.expression : undefined;
      if (literal && hasWords(literal.text)) found.push(`${where(node)} ${node.name.getText()}="${literal.text}"`);
    }
    // DOM-built UI (console button, notifications): text assigned or set as a spoken attribute.
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left)
      && ['textContent', 'title', 'innerText', 'ariaLabel'].includes(node.left.name.text) && ts.isStringLiteralLike(node.right) && hasWords(node.right.text))
      found.push(`${where(node)} ${node.left.name.text} = "${node.right.text}"`);
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'setAttribute') {
      const [name, value] = node.arguments;
      if (name && value && ts.isStringLiteralLike(name) && spokenAttributes.has(name.text) && ts.isStringLiteralLike(value) && hasWords(value.text))
        found.push(`${where(node)} setAttribute("${name.text}", "${value.text}")`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('locales', () => {
  it('English and German are both there', () => {
    expect(locales.sort()).toEqual(['de', 'en']);
  });

  it.each(locales.filter((l) => l !== 'en'))('%s has exactly the English keys, each with the same placeholders', (lang) => {
    const other = messages[lang]!;
    expect(Object.keys(other).sort()).toEqual(Object.keys(english).sort());
    for (const [key, entry] of Object.entries(english)) {
      expect(other[key]!.message.trim(), `${lang}:${key}`).not.toBe('');
      expect(placeholdersOf(other[key]!), `${lang}:${key}`).toEqual(placeholdersOf(entry));
    }
  });

  it('every key the code asks for exists', () => {
    const missing = uiFiles().flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([A-Za-z0-9_]+)'/g)].map((m) => m[1]!).filter((key) => !(key in english)).map((key) => `${relative(root, file)}: ${key}`),
    );
    expect(missing).toEqual([]);
  });

  it('no UI file carries a hard-coded text', () => {
    expect(uiFiles().flatMap(hardCodedTexts)).toEqual([]);
  });

  it('the check catches a hard-coded text', () => {
    const probe = join(root, 'test-output/i18n-probe.tsx');
    mkdirSync(join(root, 'test-output'), { recursive: true });
    writeFileSync(probe, 'export const A = () => <button aria-label="Close it">Export all keys</button>;\n');
    expect(hardCodedTexts(probe)).toHaveLength(2);
  });
});
