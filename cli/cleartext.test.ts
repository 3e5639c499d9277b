import { describe, expect, it } from 'vitest';
import type { ResolvedInstance } from '../lib/config';
import { cleartextWarnings } from './cleartext';

const core = (url: string): ResolvedInstance => ({ name: 'c', vendor: 'metadefender-core', url, apiKey: 'k' });

describe('cleartextWarnings', () => {
  it.each(['http://core.example:8008', 'http://10.0.0.5:8008/prefix', 'http://[fd00::2]:8008', 'http://127.example', 'http://localhost.example.com'])(
    '%s: credentials leave the machine in clear text',
    (url) => expect(cleartextWarnings([core(url)])).toEqual([expect.stringMatching(/^warning: c: http:\/\/.* is plain http to another machine/)]),
  );

  it.each(['https://core.example:8008', 'http://127.0.0.1:8008', 'http://127.8.9.10', 'http://localhost:8008', 'http://core.localhost', 'http://[::1]:8008', 'http://[::ffff:127.0.0.1]'])(
    '%s: no warning',
    (url) => expect(cleartextWarnings([core(url)])).toEqual([]),
  );

  it('Cloud without a url uses its https default', () => {
    expect(cleartextWarnings([{ name: 'cloud', vendor: 'metadefender-cloud', apiKey: 'k' }])).toEqual([]);
  });
});
