import { isPlainHttpRemote } from '../lib/cleartext';
import { baseUrl, type ResolvedInstance } from '../lib/config';

/** docs/contract.md#output-and-warnings: one warning line per instance whose credentials would cross the network in clear text; it still runs (Core defaults to http on 8008). */
export function cleartextWarnings(instances: readonly ResolvedInstance[]): string[] {
  return instances.flatMap((inst) => {
    const url = baseUrl(inst);
    if (!isPlainHttpRemote(url)) return [];
    return [`warning: ${inst.name}: ${new URL(url).origin} is plain http to another machine: its credentials and keys travel in clear text (use https)\n`];
  });
}
