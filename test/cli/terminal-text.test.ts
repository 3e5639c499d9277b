import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/keyatlas';
import { terminalText } from '../../cli/terminal-text';
import { toCsv } from '../../lib/csv';
import { finishRecord, type RecordFields } from '../../lib/record';
import { startVaultMock, VAULT_ADMIN_KEY } from '../mock-vendors/metadefender-vault';
import type { MockServer } from '../mock-vendors/server';

const NOW = new Date('2026-11-29T12:00:00.000Z');
/** What a hostile console puts in a description or an error: clear the screen, set the window title, rewrite the line. */
const ESCAPES = '\x1b[2J\x1b]0;pwned\x07\r\x9b31m\u202e';

let dir: string;
let vault: MockServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keyatlas-terminal-'));
  vault = await startVaultMock({ now: NOW });
});
afterAll(() => vault.close());

/** The real command line in this process, its output collected as a terminal would receive it. */
async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t), isTTY: false }, env: {}, now: () => NOW });
  return { code, stdout, stderr };
}

/** No byte that a terminal acts on, but newline and tab. */
const expectInert = (text: string) => expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);

function rec(fields: Partial<RecordFields> & Pick<RecordFields, 'instance' | 'vendor' | 'owner'>) {
  return finishRecord({ directory: '', key_id: '', key: 'a1b2c3d4e5f6a7b8c9d0', description: '', roles: [], created: '', expires: '', ...fields }, NOW);
}

describe('vendor text on the terminal', () => {
  it('terminalText shows control characters as escapes, keeps the layout, and with inline escapes line breaks too', () => {
    expect(terminalText(`a${ESCAPES}b\n\tc`)).toBe('a\\x1b[2J\\x1b]0;pwned\\x07\\x0d\\x9b31m\\u202eb\n\tc');
    expect(terminalText('line\nbreak\ttab', { inline: true })).toBe('line\\x0abreak\\x09tab');
    expect(terminalText('Zoë Ω-ops #12')).toBe('Zoë Ω-ops #12');
  });

  it('keyatlas diff prints a hostile description escaped, not run', async () => {
    const before = join(dir, 'before.csv');
    const after = join(dir, 'after.csv');
    writeFileSync(before, toCsv([], { keys: 'masked' }));
    writeFileSync(after, toCsv([rec({ instance: `vault${ESCAPES}`, vendor: 'metadefender-vault', owner: 'bob\nadded     forged line', key_id: '7', description: `backup${ESCAPES}` })], { keys: 'masked' }));
    const { code, stdout } = await run(['diff', before, after]);
    expect(code).toBe(0);
    expectInert(stdout);
    expect(stdout).toContain('"backup\\x1b[2J\\x1b]0;pwned\\x07\\x0d\\x9b31m\\u202e"');
    // A newline in a field cannot forge a line of its own.
    expect(stdout.split('\n').filter((line) => line.startsWith('added'))).toHaveLength(1);
  });

  it('the error lines of export and summary show a vendor’s escape sequences escaped', async () => {
    const config = join(dir, 'vault.json');
    writeFileSync(config, JSON.stringify({ instances: [{ name: 'vault', vendor: 'metadefender-vault', url: vault.url, apiKey: VAULT_ADMIN_KEY }] }));
    vault.fault({ kind: 'status', status: 500, json: { error: `database is down${ESCAPES}` } });
    try {
      for (const argv of [['summary', '--config', config], ['export', '--config', config, '--out', '-', '--quiet']]) {
        const { code, stdout, stderr } = await run(argv);
        expect(code).toBe(1);
        expect(stderr).toContain('database is down\\x1b[2J');
        expectInert(stderr);
        if (argv[0] === 'summary') expectInert(stdout);
      }
    } finally {
      vault.clearFaults();
    }
  });
});
