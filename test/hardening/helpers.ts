import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { ResolvedInstance } from '../../lib/config';
import { readInstance, type InventoryOptions } from '../../lib/inventory';
import * as xsoar from '../mock-vendors/cortex-xsoar';
import * as cloud from '../mock-vendors/metadefender-cloud';
import * as core from '../mock-vendors/metadefender-core';
import * as storage from '../mock-vendors/metadefender-storage';
import * as vault from '../mock-vendors/metadefender-vault';
import { startMock, type MockReply, type MockRequest, type MockServer, type Route } from '../mock-vendors/server';

export const NOW = new Date('2026-03-10T08:30:00.000Z');

/**
 * Every recognisable fake credential the mocks define (exported `*_KEY` / `*_PASSWORD` constants):
 * taken from the modules, not listed by hand, so a secret added to a mock is checked too.
 */
export const MOCK_SECRETS: string[] = [xsoar, cloud, core, storage, vault].flatMap((mod) =>
  Object.entries(mod)
    .filter(([name, value]) => /_(KEY|PASSWORD)$/.test(name) && typeof value === 'string')
    .map(([, value]) => value as string),
);

/** Every key value the demo mocks serve as data: other users' keys must not leak either. */
export function servedKeyValues(now = NOW): string[] {
  const coreKeys = core.CORE_USERS.flatMap((u) => [u.api_key, u.apikey]);
  const storageKeys = storage.storageUsers(now).flatMap((u) => [u.apiKey?.apiKey, u.apiKey?.value]);
  const vaultKeys = vault.vaultDemoTokens(now).map((t) => t.token);
  return [...coreKeys, ...storageKeys, ...vaultKeys, ...Object.keys(cloud.cloudKeys(now))].filter(
    (k): k is string => typeof k === 'string' && k.length > 0,
  );
}

/** Session credentials the mocks mint at run time: only their recognisable prefixes are known in advance. */
export const SESSION_PREFIXES = ['CORE-SESSION-', 'MDSS-JWT-SIG-', 'MDSS-REFRESH-'];

/** The forms a leaked secret could take in text: as is, URL-encoded, JSON-escaped. */
export function secretForms(secret: string): string[] {
  return [...new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])];
}

export function expectNoSecrets(text: string, secrets: readonly string[], where = 'output'): void {
  for (const secret of secrets)
    for (const form of secretForms(secret)) expect(text.includes(form), `${where} contains the secret ${secret.slice(0, 12)}…`).toBe(false);
}

/** A mock whose route the test swaps per case (property runs share one server). */
export interface Lab {
  server: MockServer;
  reply: (req: MockRequest) => MockReply | undefined;
}

export async function startLab(name = 'lab'): Promise<Lab> {
  const lab = { reply: () => undefined } as unknown as Lab;
  const route: Route = (req) => lab.reply(req);
  lab.server = await startMock(name, route);
  return lab;
}

/** Reads one instance with waits recorded instead of slept. */
export async function readRecordingWaits(instance: ResolvedInstance, options: InventoryOptions = {}) {
  const waits: number[] = [];
  const outcome = await readInstance(instance, { ...options, http: { sleep: async (ms) => void waits.push(ms), ...options.http } }, NOW);
  return { ...outcome, waits };
}

export function tempDir(prefix = 'keyatlas-hardening-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeJson(dir: string, name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value, null, 2));
  return path;
}
