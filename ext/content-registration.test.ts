import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CONSOLE_SCRIPT_FILE, CONSOLE_SCRIPT_ID, contentScriptMatches, syncContentScripts } from './content-registration';

type Script = Parameters<typeof fakeBrowser.scripting.registerContentScripts>[0][number];

/**
 * fake-browser leaves `scripting` unimplemented, so this is a small in-memory stand-in with the
 * browsers' rules: registering an existing id or updating a missing one fails.
 */
function installScripting() {
  const registered = new Map<string, Script>();
  const calls = {
    register: vi.spyOn(fakeBrowser.scripting, 'registerContentScripts').mockImplementation(async (scripts: Script[]) => {
      for (const s of scripts) if (registered.has(s.id)) throw new Error(`Duplicate script id "${s.id}"`);
      for (const s of scripts) registered.set(s.id, s);
    }),
    update: vi.spyOn(fakeBrowser.scripting, 'updateContentScripts').mockImplementation(async (scripts: Script[]) => {
      for (const s of scripts) if (!registered.has(s.id)) throw new Error(`Content script with id "${s.id}" does not exist.`);
      for (const s of scripts) registered.set(s.id, { ...registered.get(s.id)!, ...s });
    }),
    unregister: vi.spyOn(fakeBrowser.scripting, 'unregisterContentScripts').mockImplementation(async (filter?: { ids?: string[] }) => {
      for (const id of filter?.ids ?? [...registered.keys()]) registered.delete(id);
    }),
  };
  vi.spyOn(fakeBrowser.scripting, 'getRegisteredContentScripts').mockImplementation(async (filter?: { ids?: string[] }) =>
    [...registered.values()].filter((s) => !filter?.ids || filter.ids.includes(s.id)),
  );
  return { registered, calls };
}

beforeEach(() => {
  vi.restoreAllMocks();
  fakeBrowser.reset();
});

describe('contentScriptMatches', () => {
  it('turns origins into port-less patterns and keeps patterns as granted', () => {
    expect(
      contentScriptMatches(['https://Core.example:8008', 'https://core.example:443/', 'http://*.keyatlas.test/*', 'http://127.0.0.1/*', 'not a url']),
    ).toEqual(['http://*.keyatlas.test/*', 'http://127.0.0.1/*', 'https://core.example/*']);
  });
});

describe('syncContentScripts', () => {
  it('registers the console script for the granted origins, top frame only, at document idle', async () => {
    const { registered } = installScripting();
    await syncContentScripts(['https://core.example:8008', 'https://api-tenant.xdr.example', 'https://tenant.xdr.example']);
    expect(registered.get(CONSOLE_SCRIPT_ID)).toEqual({
      id: 'keyatlas-console',
      js: ['content-scripts/content.js'],
      matches: ['https://api-tenant.xdr.example/*', 'https://core.example/*', 'https://tenant.xdr.example/*'],
      runAt: 'document_idle',
      allFrames: false,
      persistAcrossSessions: true,
    });
    expect(CONSOLE_SCRIPT_FILE).toBe('content-scripts/content.js');
  });

  it('updates the registration when the grants change and leaves it alone when they do not', async () => {
    const { registered, calls } = installScripting();
    await syncContentScripts(['https://core.example:8008']);
    await syncContentScripts(['https://core.example:8008', 'https://vault.example:8010']);
    expect(registered.get(CONSOLE_SCRIPT_ID)?.matches).toEqual(['https://core.example/*', 'https://vault.example/*']);
    expect(calls.register).toHaveBeenCalledTimes(1);
    expect(calls.update).toHaveBeenCalledTimes(1);

    await syncContentScripts(['https://vault.example:8010', 'https://core.example:8008']);
    expect(calls.register).toHaveBeenCalledTimes(1);
    expect(calls.update).toHaveBeenCalledTimes(1);
  });

  it('serializes overlapping calls, so the last grant list wins without a duplicate registration', async () => {
    const { registered, calls } = installScripting();
    await Promise.all([syncContentScripts(['https://core.example:8008']), syncContentScripts(['https://vault.example:8010'])]);
    expect(calls.register).toHaveBeenCalledTimes(1);
    expect(registered.get(CONSOLE_SCRIPT_ID)?.matches).toEqual(['https://vault.example/*']);
  });

  it('unregisters when no origin is granted any more, and does nothing when none was', async () => {
    const { registered, calls } = installScripting();
    await syncContentScripts([]);
    expect(calls.unregister).not.toHaveBeenCalled();
    await syncContentScripts(['https://core.example:8008']);
    await syncContentScripts([]);
    expect(registered.size).toBe(0);
    expect(calls.unregister).toHaveBeenCalledWith({ ids: [CONSOLE_SCRIPT_ID] });
  });

  it('does not hide other registration errors', async () => {
    installScripting();
    vi.spyOn(fakeBrowser.scripting, 'registerContentScripts').mockRejectedValue(new Error('Could not load javascript content-scripts/content.js'));
    await expect(syncContentScripts(['https://core.example:8008'])).rejects.toThrow(/Could not load/);
  });
});
