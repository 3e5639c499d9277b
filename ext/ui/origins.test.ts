import { describe, expect, it } from 'vitest';
import { configOriginPatterns } from './origins';

describe('configOriginPatterns', () => {
  it('collects the origins of a configuration (docs/contract.md#configuration), Cloud default included, once each', () => {
    const json = JSON.stringify({
      instances: [
        { name: 'core-prod', vendor: 'metadefender-core', url: 'https://core.example:8008', apiKey: 'k' },
        { name: 'core-dr', vendor: 'metadefender-core', url: 'https://core.example:9008', apiKey: 'k' },
        { name: 'xsoar', vendor: 'cortex-xsoar', url: 'https://api-tenant.example', apiKey: 'k', apiKeyId: '2841' },
        { name: 'cloud', vendor: 'metadefender-cloud', apiKey: 'k' },
      ],
    });
    expect(configOriginPatterns(`\uFEFF${json}`)).toEqual([
      'https://core.example/*',
      'https://api-tenant.example/*',
      'https://tenant.example/*',
      'https://api.metadefender.com/*',
    ]);
  });

  it('skips what it cannot use; the background reports the problems', () => {
    expect(configOriginPatterns('{ not json')).toEqual([]);
    expect(configOriginPatterns('{"instances": 3}')).toEqual([]);
    expect(
      configOriginPatterns(
        JSON.stringify({ instances: [null, { vendor: 'unknown', url: 'https://x.example' }, { vendor: 'metadefender-vault', url: 42 }, { vendor: 'metadefender-vault', url: 'https://v.example:8010' }] }),
      ),
    ).toEqual(['https://v.example/*']);
  });
});
