// The engine's CPU per key, in a fresh process (see engine-cpu.ts): the recorded corpus replayed
// through runInventory in turns with a bare JSON.parse of the same replies, then one profiled run.
import { Session } from 'node:inspector/promises';
import { runInventory } from '../lib/inventory';
import { recordCorpus, replayCorpus } from './engine-corpus';
import { printResult, ROOT } from './node-child';
import { median } from './stats';

const [keysText, roundsText = '5'] = process.argv.slice(2);
const rounds = Number(roundsText);
const now = new Date();
const corpus = await recordCorpus(Number(keysText), now);
// Each timed part starts from a collected heap, so neither pays for the other's garbage.
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

async function engine(names?: ReadonlySet<string>, served?: string[]): Promise<number> {
  const instances = names ? corpus.instances.filter((i) => names.has(i.name)) : corpus.instances;
  const replay = replayCorpus(corpus.bodies, served);
  gc!();
  const started = performance.now();
  const { records, results } = await runInventory(instances, { now, fetchFor: () => replay });
  const ms = performance.now() - started;
  const failed = results.filter((r) => !r.ok);
  if (failed.length) throw new Error(`the replay failed: ${failed.map((r) => r.error?.message).join('; ')}`);
  if (!names && records.length !== corpus.keys) throw new Error(`the replay read ${records.length} of ${corpus.keys} keys`);
  return ms;
}

/**
 * The floor: every reply the engine was served, each parsed once, nothing else. `keep` holds every
 * parsed reply until the end, as any reader that returns its keys holds them: the collector then
 * pays for what survives, as it does for the engine's records.
 */
function floor(bodies: readonly string[], keep = false): number {
  const kept: unknown[] = [];
  let sink = 0;
  gc!();
  const started = performance.now();
  for (const body of bodies) {
    const value: unknown = JSON.parse(body);
    if (keep) kept.push(value);
    sink += value === null ? 0 : 1;
  }
  const ms = performance.now() - started;
  if (sink !== bodies.length || kept.length !== (keep ? bodies.length : 0)) throw new Error('a recorded reply parsed to null');
  return ms;
}

// The replies each run is served, in order, per shape and for the whole corpus.
const served: string[] = [];
await engine(undefined, served);
const shapes = corpus.parts.map((part) => {
  const names = new Set(part.instanceNames);
  const bodies: string[] = [];
  return { part, names, bodies };
});
for (const shape of shapes) await engine(shape.names, shape.bodies);

const engineRuns: number[] = [];
const floorRuns: number[] = [];
const keptFloorRuns: number[] = [];
const shapeRuns = shapes.map(() => ({ engine: [] as number[], floor: [] as number[] }));
for (let round = 0; round < rounds; round++) {
  floorRuns.push(floor(served));
  engineRuns.push(await engine());
  keptFloorRuns.push(floor(served, true));
  for (const [s, shape] of shapes.entries()) {
    shapeRuns[s]!.floor.push(floor(shape.bodies));
    shapeRuns[s]!.engine.push(await engine(shape.names));
  }
}

// Where the engine's time goes: V8's sampling profiler over one more run, self time by source file.
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });
await session.post('Profiler.start');
await engine();
const { profile } = await session.post('Profiler.stop');
session.disconnect();

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  hitCount?: number;
}

/** The part of the engine a sample's own code belongs to. */
function partOf({ functionName, url }: ProfileNode['callFrame']): string {
  const path = url.startsWith('file://') ? url.slice('file://'.length).replace(ROOT, '') : url;
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(program)' || functionName === '(idle)') return 'V8 outside JavaScript (program, idle)';
  if (path.includes('node_modules/zod/')) return 'zod (schema validation)';
  if (path === 'lib/apis/dates.ts') return 'dates (lib/apis/dates.ts)';
  if (path === 'lib/record.ts') return 'record building (lib/record.ts finishRecord)';
  if (path === 'lib/apis/http.ts') return 'HTTP layer (lib/apis/http.ts, JSON.parse included)';
  if (/^lib\/apis\/(metadefender|cortex)/.test(path)) return 'adapters (lib/apis/<vendor>.ts: field mapping, record fields)';
  if (/^lib\//.test(path)) return `engine bookkeeping (${path})`;
  if (path.startsWith('bench/')) return 'the replay stub (bench)';
  if (path.includes('node_modules/')) return `other dependencies (${path.split('node_modules/')[1]!.split('/')[0]})`;
  return 'runtime (promises, microtasks, builtins)';
}

const samplesBy = new Map<string, number>();
let samples = 0;
for (const node of (profile as { nodes: ProfileNode[] }).nodes) {
  const hits = node.hitCount ?? 0;
  if (!hits) continue;
  samples += hits;
  const part = partOf(node.callFrame);
  samplesBy.set(part, (samplesBy.get(part) ?? 0) + hits);
}

printResult({
  keys: corpus.keys,
  requests: served.length,
  bytes: served.reduce((n, b) => n + b.length, 0),
  engineRuns,
  floorRuns,
  engineMs: median(engineRuns),
  floorMs: median(floorRuns),
  keptFloorMs: median(keptFloorRuns),
  shapes: shapes.map(({ part, bodies }, s) => ({
    shape: part.shape,
    instances: part.instances,
    keys: part.instances * part.keysEach,
    requests: bodies.length,
    bytes: bodies.reduce((n, b) => n + b.length, 0),
    engineMs: median(shapeRuns[s]!.engine),
    floorMs: median(shapeRuns[s]!.floor),
  })),
  profile: { samples, parts: [...samplesBy].map(([part, n]) => ({ part, share: n / samples })).sort((a, b) => b.share - a.share) },
});
