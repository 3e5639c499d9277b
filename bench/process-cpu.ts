import { readdirSync, readFileSync } from 'node:fs';

/** Linux's USER_HZ: /proc counts CPU time in ticks of 10 ms. */
const MS_PER_TICK = 10;

interface Proc {
  ppid: number;
  ticks: number;
  /** Chromium rewrites its children's command lines into one string: spaces or NULs, either way. */
  command: string;
}

function processes(): Map<number, Proc> {
  const found = new Map<number, Proc>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return found;
  }
  for (const pid of pids) {
    try {
      // After the command's closing parenthesis: state, ppid, …, utime (14th field), stime (15th).
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      found.set(Number(pid), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]), command });
    } catch {
      // Gone since the listing.
    }
  }
  return found;
}

/**
 * CPU time (user + system, ms) used so far by this process and every process it started, summed
 * by the kind `classify` gives each (undefined: not counted). Empty where there is no /proc.
 */
export function cpuByKind(classify: (command: string, self: boolean) => string | undefined): Map<string, number> {
  const all = processes();
  const ours = (pid: number): boolean => pid === process.pid || (pid > 1 && all.has(pid) && ours(all.get(pid)!.ppid));
  const byKind = new Map<string, number>();
  for (const [pid, { ticks, command }] of all) {
    const kind = ours(pid) ? classify(command, pid === process.pid) : undefined;
    if (kind !== undefined) byKind.set(kind, (byKind.get(kind) ?? 0) + ticks * MS_PER_TICK);
  }
  return byKind;
}

/** CPU used per kind between two readings of cpuByKind. */
export function cpuSince(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...after].map(([kind, ms]) => [kind, ms - (before.get(kind) ?? 0)]));
}
