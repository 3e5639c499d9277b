import { z } from 'zod';
import type { EffectiveSettings } from './managed';
import { VENDOR_IDS, type VendorId } from './vendors';
import { autoLockMinutesSchema, type AutoLockMinutes } from './auto-lock';
import { KEY_WINDOWS, TIMELINE_WEEKS } from './key-filters';
import { keyModeSchema } from './key-mode';
import { COVERAGES } from './coverage';

// The narrow protocol a console content script may speak (docs/contract.md#messages): `console:info`,
// `console:export` and `console:options`, all without payload. The instance is never named in the
// payload: the background derives it from the sender tab's origin. Replies carry counts and
// file names only — never credentials or key values.

/** `apiKey`: the instance's saved credentials (an API key, or a username and password). */
export const credentialUsedSchema = z.enum(['apiKey', 'session', 'none']);

/** What the credential of a read could see (lib/coverage.ts), in English: the pages translate it. */
export const coverageSchema = z.enum(COVERAGES);

export const consoleInfoReplySchema = z.object({
  /** The configured instance this origin belongs to, or null. */
  instance: z.string().nullable(),
  vendor: z.enum(VENDOR_IDS).nullable(),
  /** Which credential an export would use now. */
  credential: credentialUsedSchema,
  /** Plain-words reason when no export is possible (e.g. XSOAR console session cannot call the public API). */
  note: z.string().optional(),
  /** false when no instance is configured for this origin and the export would run on the live console session alone. */
  configured: z.boolean().optional(),
});
export type ConsoleInfoReply = z.infer<typeof consoleInfoReplySchema>;

export const consoleExportReplySchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    rows: z.number().int(),
    fileName: z.string(),
    credential: credentialUsedSchema,
    /** docs/contract.md#outcomes: the file was written, but the instance failed (`incomplete`: announced more keys than it delivered). */
    error: z.object({ incomplete: z.boolean(), message: z.string() }).optional(),
    warnings: z.array(z.string()).optional(),
    coverage: coverageSchema.optional(),
  }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type ConsoleExportReply = z.infer<typeof consoleExportReplySchema>;

/** Pushed by the background to the tab while its export runs. */
export const consoleProgressSchema = z.object({
  read: z.number().int(),
  total: z.number().int().optional(),
});
export type ConsoleProgress = z.infer<typeof consoleProgressSchema>;

// ---------------------------------------------------------------------------------------------
// Extension pages (popup, options) ↔ background. Only this extension's own pages may send these.

/** What the popup may know about a key: everything but the secret. */
export const keyMetaSchema = z.object({
  instance: z.string(),
  vendor: z.enum(VENDOR_IDS),
  owner: z.string(),
  key_id: z.string(),
  description: z.string(),
  status: z.enum(['active', 'expired']),
  expires: z.string(),
  days_left: z.number().int().nullable(),
  // Owner and age (docs/owners.md); absent from caches written before they existed.
  owner_state: z.enum(['active', 'inactive', 'orphaned', '']).optional(),
  /** ISO 8601 or '' */
  owner_last_login: z.string().optional(),
  age_days: z.number().int().nullable().optional(),
});
export type KeyMeta = z.infer<typeof keyMetaSchema>;

/**
 * The popup's key list: the first rows in list order and how many keys match in all. The
 * background picks them (over 100,000 keys, docs/benchmarks.md#budgets); the popup only draws.
 */
export const keysViewSchema = z.object({ rows: z.array(keyMetaSchema), matched: z.number().int() });
export type KeysView = z.infer<typeof keysViewSchema>;

/** One listed change of an instance's keys since its previous successful refresh (expiries: ISO or '' for never). */
export const keyChangeSchema = z.object({
  kind: z.enum(['added', 'removed', 'expiry']),
  owner: z.string(),
  key_id: z.string(),
  description: z.string(),
  before: z.string(),
  after: z.string(),
});
export type KeyChange = z.infer<typeof keyChangeSchema>;

/** Counts are complete; `items` holds the first few, enough for the popup's list. */
export const instanceChangesSchema = z.object({
  added: z.number().int(),
  removed: z.number().int(),
  expiry: z.number().int(),
  items: z.array(keyChangeSchema),
});
export type InstanceChanges = z.infer<typeof instanceChangesSchema>;

export const bucketsSchema = z.object({
  total: z.number().int(),
  expired: z.number().int(),
  within7: z.number().int(),
  within30: z.number().int(),
  never: z.number().int(),
});

export const instanceStatusSchema = z.object({
  name: z.string(),
  vendor: z.enum(VENDOR_IDS),
  url: z.string().optional(),
  /** Set by the organisation's policy (docs/contract.md#managed-policy). */
  managed: z.boolean().optional(),
  /** ISO time of the last finished refresh of this instance, null before the first. */
  lastRefresh: z.string().nullable(),
  ok: z.boolean().nullable(),
  error: z.string().optional(),
  /** docs/contract.md#outcomes: the failure kind, so `incomplete` reads differently from a refused key. */
  errorKind: z.string().optional(),
  /** docs/contract.md#outcomes "ok with warnings": each names the instance and what is missing. */
  warnings: z.array(z.string()).optional(),
  /** Which credential the last refresh used. */
  credential: credentialUsedSchema.optional(),
  /** What that credential could see: `ok` is complete for this scope (absent before a refresh of this release). */
  coverage: coverageSchema.optional(),
  /** The vendor refused the stored credential: it is not sent again until edited or re-tested (docs/contract.md#parked-credentials). */
  parked: z.boolean().optional(),
  buckets: bucketsSchema,
  /** docs/contract.md#test-ids `open-console`: the page where this instance's keys are managed. */
  consoleUrl: z.string().optional(),
  /** Keys whose owner is not in the tenant's user list (docs/owners.md). */
  orphaned: z.number().int().optional(),
  /** Since the previous successful refresh; absent before the second one. */
  changes: instanceChangesSchema.optional(),
});
export type InstanceStatus = z.infer<typeof instanceStatusSchema>;

export const popupStateSchema = z.object({
  locked: z.boolean(),
  hasPassphrase: z.boolean(),
  instances: z.array(instanceStatusSchema),
  totals: bucketsSchema,
  /** The list with no search and no filter; `keys:view` answers the others. */
  keys: keysViewSchema,
  /** Keys per timeline bar: expired, then each of the next TIMELINE_WEEKS weeks. */
  timeline: z.array(z.number().int()),
  refreshing: z.object({ done: z.number().int(), total: z.number().int() }).nullable(),
  /** The key mode an export starts with (a setting an organisation may fix). */
  defaultKeyMode: keyModeSchema.optional(),
  /** The rotation policy in days, absent when there is none; `rotate` counts the keys older than it. */
  maxKeyAgeDays: z.number().int().positive().optional(),
  rotate: z.number().int().optional(),
});
export type PopupState = z.infer<typeof popupStateSchema>;

/** An instance as the options page sees it: secrets are never sent back, only whether they are set. */
export const instanceViewSchema = z.object({
  name: z.string(),
  vendor: z.enum(VENDOR_IDS),
  url: z.string().optional(),
  apiKeyId: z.string().optional(),
  securityLevel: z.enum(['standard', 'advanced']).optional(),
  username: z.string().optional(),
  has: z.object({ apiKey: z.boolean(), password: z.boolean() }),
  /** Set by the organisation's policy: only the credential is the user's to add or change. */
  managed: z.boolean().optional(),
});
export type InstanceView = z.infer<typeof instanceViewSchema>;

/** docs/contract.md#ahead-of-expiry: notifications are opt-in; thresholds in days, plus whether expired keys are announced. */
export const notifySettingsSchema = z
  .object({
    enabled: z.boolean(),
    days: z.array(z.number().int().min(0).max(3650)).max(10),
    expired: z.boolean(),
  })
  .strict();
export type NotifySettings = z.infer<typeof notifySettingsSchema>;

/** Problems are listed as in the CLI: a path and a message each. */
export const problemsSchema = z.array(z.object({ path: z.string(), message: z.string() }));

export type Result<T = object> = ({ ok: true } & T) | { ok: false; error: string; problems?: z.infer<typeof problemsSchema> };

/**
 * Request payloads, validated in the background before anything runs. In `instances:save` an
 * omitted apiKey/password keeps the stored one, so secrets need not round-trip through the page.
 */
export const extensionRequestSchemas = {
  'state:get': z.undefined(),
  /** `key-search` (docs/contract.md#ahead-of-expiry), a day window and a timeline week (-1: expired) over every cached key. */
  'keys:view': z
    .object({
      query: z.string().max(500),
      within: z.union([...KEY_WINDOWS, 'rotate' as const].map((w) => z.literal(w))),
      week: z.number().int().min(-1).max(TIMELINE_WEEKS - 1).optional(),
    })
    .strict(),
  refresh: z.object({ instance: z.string().optional() }).strict(),
  // `passphrase`: the current one; writing key values (`keys: 'full'`) needs it when one is set (docs/contract.md, Secrets at rest).
  // `evidence`: the evidence manifest of this export's read is saved beside the CSV (docs/completeness.md).
  export: z.object({ instance: z.string().optional(), keys: keyModeSchema, passphrase: z.string().optional(), evidence: z.literal(true).optional() }).strict(),
  'instances:list': z.undefined(),
  'instances:save': z.object({ instance: z.record(z.string(), z.unknown()), originalName: z.string().optional() }).strict(),
  'instances:remove': z.object({ name: z.string() }).strict(),
  'instances:test': z.object({ name: z.string() }).strict(),
  'config:import': z.object({ json: z.string().max(1_000_000, 'config file is larger than 1 MB') }).strict(),
  // `passphrase`: the current one, required for secrets (and to change it) when one is set (docs/contract.md#secrets-at-rest).
  'config:export': z.object({ includeSecrets: z.boolean(), passphrase: z.string().optional() }).strict(),
  'lock:set': z.object({ passphrase: z.string().min(12, 'passphrase must have at least 12 characters'), current: z.string().optional() }).strict(),
  'lock:unlock': z.object({ passphrase: z.string() }).strict(),
  'lock:lock': z.undefined(),
  'lock:remove': z.object({ passphrase: z.string() }).strict(),
  'autoLock:get': z.undefined(),
  'autoLock:set': z.object({ minutes: autoLockMinutesSchema }).strict(),
  'sessions:list': z.undefined(),
  'notify:get': z.undefined(),
  'notify:set': notifySettingsSchema,
  'settings:get': z.undefined(),
  // The shape only: the ranges are lib/managed's settingsSchema, checked by the handler.
  'settings:set': z.object({ refreshPeriodMinutes: z.number().optional(), defaultKeyMode: keyModeSchema.optional(), maxKeyAgeDays: z.number().optional() }).strict(),
  /** Exports the console whose live session the background holds for `origin` (never sent by the page). */
  'export:session': z.object({ origin: z.string().max(2048), keys: keyModeSchema, passphrase: z.string().optional() }).strict(),
} as const;

/** A console the user is logged into with no configured instance: which one, never its credential. */
export interface LiveConsole {
  origin: string;
  vendor: VendorId;
}

type Req<K extends keyof typeof extensionRequestSchemas> = z.infer<(typeof extensionRequestSchemas)[K]>;

/** @webext-core/messaging protocol map: `(data) => reply` per message type. */
export interface ExtensionProtocol {
  'state:get'(): PopupState;
  'keys:view'(data: Req<'keys:view'>): KeysView;
  refresh(data: Req<'refresh'>): Result;
  /** `errors`: instances that failed while others were exported (their rows are missing from the file). */
  export(data: Req<'export'>): Result<{ fileName: string; rows: number; errors?: string[]; evidenceFileName?: string }>;
  'instances:list'(): InstanceView[];
  'instances:save'(data: Req<'instances:save'>): Result;
  'instances:remove'(data: Req<'instances:remove'>): Result;
  'instances:test'(data: Req<'instances:test'>): Result<{ count: number }>;
  /** `warnings`: instances skipped or secrets ignored (e.g. `{env}` references, which only the CLI reads). */
  'config:import'(data: Req<'config:import'>): Result<{ imported: number; warnings?: z.infer<typeof problemsSchema> }>;
  'config:export'(data: Req<'config:export'>): Result<{ json: string }>;
  'lock:set'(data: Req<'lock:set'>): Result;
  'lock:unlock'(data: Req<'lock:unlock'>): Result;
  'lock:lock'(): Result;
  'lock:remove'(data: Req<'lock:remove'>): Result;
  'autoLock:get'(): { minutes: AutoLockMinutes };
  'autoLock:set'(data: Req<'autoLock:set'>): Result;
  'sessions:list'(): LiveConsole[];
  'notify:get'(): NotifySettings;
  'notify:set'(data: NotifySettings): Result;
  /** The settings in force, the ones the organisation's policy fixes, and what the policy got wrong. */
  'settings:get'(): EffectiveSettings & { problems: z.infer<typeof problemsSchema> };
  /** The user's own choices; a setting the policy fixes is refused. */
  'settings:set'(data: Req<'settings:set'>): Result;
  'export:session'(data: Req<'export:session'>): Result<{ fileName: string; rows: number; errors?: string[] }>;
  'console:info'(): ConsoleInfoReply;
  'console:export'(): ConsoleExportReply;
  /** Opens the options page from the console button (Chrome lets no web page open it): add form prefilled from the tab origin. */
  'console:options'(): void;
  /** background → the console tab whose export is running */
  'console:progress'(data: ConsoleProgress): void;
  /** background → a console tab whose own session KeyAtlas just kept or dropped: ask console:info again. */
  'console:session'(): void;
}
