import { childResult, ROOT, runNode } from './node-child';

export interface EngineCpuShape {
  shape: string;
  instances: number;
  keys: number;
  requests: number;
  bytes: number;
  engineMs: number;
  floorMs: number;
}

export interface EngineCpuResult {
  keys: number;
  requests: number;
  /** UTF-16 code units of every reply served (≈ bytes: the replies are ASCII but for a few names). */
  bytes: number;
  engineRuns: number[];
  floorRuns: number[];
  engineMs: number;
  floorMs: number;
  /** JSON.parse of the same replies with every parsed reply kept until the end (median): what the collector adds once replies survive. */
  keptFloorMs: number;
  shapes: EngineCpuShape[];
  /** Self time of one more (profiled) run by part of the engine, as shares of the samples. */
  profile: { samples: number; parts: { part: string; share: number }[] };
}

const CHILD = `${ROOT}bench/engine-cpu-child.ts`;

/** The engine over `keys` keys' replies with no network, against a bare JSON.parse of them, in a fresh process. */
export async function benchEngineCpu({ keys = 100_000, rounds = 5 }: { keys?: number; rounds?: number } = {}): Promise<EngineCpuResult> {
  return childResult<EngineCpuResult>(await runNode(CHILD, [String(keys), String(rounds)], { nodeFlags: ['--expose-gc'] }), 'the engine CPU child');
}
