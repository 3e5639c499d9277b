import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { rootCertificates } from 'node:tls';
import { Agent, fetch as undiciFetch } from 'undici';
import { ConfigError, type ConfigProblem, type ResolvedInstance } from '../lib/config';
import type { FetchLike, TransportAdvice } from '../lib/apis/http';

/** The command line's remedies for a transport failure (a browser's differ). */
export const CLI_ADVICE: TransportAdvice = {
  tls: 'give this instance the CA certificate that signed it with "caFile" in the config',
  timeout: 'a slow server may need more time: --timeout SECONDS',
};

/**
 * A fetch per instance: instances with `caFile` trust that CA in addition to the public roots
 * (a self-signed console certificate), and nothing ever turns certificate checks off.
 * Every configured instance's CA file is read up front (whatever --instance selects), so a
 * missing one is a config error naming its place in the file, before any request.
 */
export function fetchersFor(instances: readonly ResolvedInstance[], configPath: string): (instance: ResolvedInstance) => FetchLike {
  const problems: ConfigProblem[] = [];
  const byName = new Map<string, FetchLike>();
  instances.forEach((inst, i) => {
    if (!inst.caFile) return;
    const file = isAbsolute(inst.caFile) ? inst.caFile : resolve(configPath, '..', inst.caFile);
    let ca: string;
    try {
      ca = readFileSync(file, 'utf8');
    } catch (error) {
      problems.push({ path: `instances[${i}].caFile`, instance: inst.name, message: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` });
      return;
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) {
      problems.push({ path: `instances[${i}].caFile`, instance: inst.name, message: `${file} holds no PEM certificate` });
      return;
    }
    const dispatcher = new Agent({ connect: { ca: [...rootCertificates, ca] } });
    byName.set(inst.name, (input, init) => undiciFetch(input, { ...(init as object), dispatcher }) as unknown as Promise<Response>);
  });
  if (problems.length) throw new ConfigError(configPath, problems);
  return (inst) => byName.get(inst.name) ?? ((input, init) => globalThis.fetch(input, init));
}
