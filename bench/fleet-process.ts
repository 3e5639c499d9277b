// The mock fleet in a process of its own: its CPU (HTTP parsing, JSON of thousands of tokens,
// injected latency timers) is not billed to the engine being timed, as real consoles' is not.
import { fork } from 'node:child_process';
import { parseConfig, resolveSecrets } from '../lib/config';
import { startFleet, type FleetHandle, type InstanceSpec } from './fleet';
import { ROOT, TSX_LOADER } from './node-child';

type Request = { id: number; op: 'reset' | 'busiest' | 'close' };
type Reply = { id: number; value?: number; error?: string };
type Started = { started: { instances: Record<string, unknown>[] } } | { error: string };

/** Starts `specs` in a child Node process and talks to it over the IPC channel. */
export async function startFleetProcess(specs: readonly InstanceSpec[], now: Date): Promise<FleetHandle> {
  const child = fork(`${ROOT}bench/fleet-process.ts`, [JSON.stringify(specs), now.toISOString()], {
    execArgv: ['--import', TSX_LOADER],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`the mock fleet process exited ${code}`))));
  exited.catch(() => {});
  const started = await Promise.race([new Promise<Started>((resolve) => child.once('message', (m) => resolve(m as Started))), exited]);
  if ('error' in started) {
    child.kill();
    throw new Error(`the mock fleet did not start: ${started.error}`);
  }
  const pending = new Map<number, (reply: Reply) => void>();
  child.on('message', (m) => {
    const reply = m as Reply;
    pending.get(reply.id)?.(reply);
    pending.delete(reply.id);
  });
  let next = 0;
  const send = async (op: Request['op']): Promise<number> => {
    const id = next++;
    const answered = new Promise<Reply>((resolve) => pending.set(id, resolve));
    child.send({ id, op } satisfies Request);
    const reply = await Promise.race([answered, exited]);
    if (reply.error) throw new Error(`mock fleet ${op}: ${reply.error}`);
    return reply.value ?? 0;
  };
  const config = started.started;
  return {
    instances: resolveSecrets(parseConfig(config, 'bench fleet'), {}),
    config,
    resetStats: async () => void (await send('reset')),
    busiestInFlight: () => send('busiest'),
    close: async () => {
      await send('close');
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
    },
  };
}

// Run as the child: start the fleet, report its config, then answer the parent until told to close.
if (process.send && process.argv[1]?.endsWith('fleet-process.ts')) {
  const reply = (message: Reply | Started) => process.send!(message);
  try {
    const fleet = await startFleet(JSON.parse(process.argv[2]!) as InstanceSpec[], new Date(process.argv[3]!));
    process.on('message', async (m) => {
      const { id, op } = m as Request;
      try {
        if (op === 'reset') {
          await fleet.resetStats();
          reply({ id });
        } else if (op === 'busiest') reply({ id, value: await fleet.busiestInFlight() });
        else {
          await fleet.close();
          reply({ id });
          process.disconnect();
        }
      } catch (error) {
        reply({ id, error: error instanceof Error ? error.message : String(error) });
      }
    });
    // A parent that dies without closing (a crash, Ctrl+C) must not leave 50 servers listening.
    process.once('disconnect', () => void fleet.close().finally(() => process.exit()));
    reply({ started: fleet.config });
  } catch (error) {
    reply({ error: error instanceof Error ? error.message : String(error) });
    process.exitCode = 1;
    process.disconnect();
  }
}
