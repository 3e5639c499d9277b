import { describe, expect, it } from 'vitest';
import { baseUrl, ConfigError, parseConfig, parseConfigText, resolveSecrets } from './config';

const example = {
  instances: [
    { name: 'core-prod', vendor: 'metadefender-core', url: 'https://core.example:8008', apiKey: 'k1-aaaaaaaaaaaa' },
    { name: 'vault', vendor: 'metadefender-vault', url: 'https://vault.example:8010', apiKey: 'k2-bbbbbbbbbbbb', username: 'alice' },
    { name: 'mdss', vendor: 'metadefender-storage', url: 'https://mdss.example', username: 'admin', password: { env: 'MDSS_PASSWORD' } },
    { name: 'xsoar', vendor: 'cortex-xsoar', url: 'https://api-tenant.example', apiKey: { env: 'XSOAR_KEY' }, apiKeyId: '2841', securityLevel: 'advanced' },
    { name: 'cloud', vendor: 'metadefender-cloud', apiKey: 'k5-cccccccccccc' },
  ],
};

function problemsOf(value: unknown): string[] {
  try {
    parseConfig(value, 'keyatlas.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('expected the config to be rejected');
}

describe('parseConfig', () => {
  it('accepts the configuration example (docs/contract.md#configuration) and defaults the Cloud URL', () => {
    const config = parseConfig(example);
    expect(config.instances).toHaveLength(5);
    expect(baseUrl(config.instances[4]!)).toBe('https://api.metadefender.com');
    expect(baseUrl({ vendor: 'metadefender-core', url: 'https://core.example:8008/' })).toBe('https://core.example:8008');
  });

  it('lists every problem with its path, not just the first', () => {
    const problems = problemsOf({
      instances: [
        { name: 'a', vendor: 'metadefender-core', url: 'ftp://core.example' },
        { name: 'a', vendor: 'metadefender-vaultt', url: 'https://v', apiKey: 'x' },
        { name: 'x', vendor: 'cortex-xsoar', url: 'https://admin:hunter2@api-t.example', apiKey: 'k' },
        { name: '', vendor: 'metadefender-cloud', apiKey: '', color: 'red' },
      ],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'instances[0].url: must use http or https, not ftp',
        expect.stringMatching(/^instances\[0\]\.apiKey: is required for metadefender-core/),
        expect.stringMatching(/^instances\[1\]\.vendor: must be one of metadefender-core/),
        'instances[1].name: is already used by instances[0]',
        expect.stringMatching(/^instances\[2\]\.url: must not contain a user name or password/),
        expect.stringMatching(/^instances\[2\]\.apiKeyId: is required for cortex-xsoar/),
        'instances[3].name: must not be empty',
        expect.stringMatching(/^instances\[3\]\.apiKey/),
        expect.stringMatching(/^instances\[3\].*color/),
      ]),
    );
    // The password in the URL is never echoed back.
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it.each(['https://api-tenant.example//evil.example', 'https://api-tenant.example/\\\\evil.example', 'https://api-tenant.example/..//evil.example'])(
    'refuses %s: a path starting with // reads as another host',
    (url) => {
      expect(problemsOf({ instances: [{ name: 'x', vendor: 'cortex-xsoar', url, apiKey: 'k-aaaaaaaa', apiKeyId: '1' }] })).toEqual([
        'instances[0].url: must not have a path starting with // (it reads as another host)',
      ]);
    },
  );

  it('keeps a path prefix with single slashes (a console behind a reverse proxy)', () => {
    expect(() => parseConfig({ instances: [{ name: 'c', vendor: 'metadefender-core', url: 'https://proxy.example/core/', apiKey: 'k-aaaaaaaa' }] })).not.toThrow();
  });

  it('names the instance of each problem when it has a usable name, even if other fields are wrong', () => {
    let error: unknown;
    try {
      parseConfig({ instances: [{ name: 'vault-eu', vendor: 'metadefender-vault' }, { name: 'a\u001b[2Jb', vendor: 'x' }, { name: '', vendor: 'x' }] }, 'k.json');
    } catch (caught) {
      error = caught;
    }
    const { problems, message } = error as ConfigError;
    expect(problems.map((p) => p.instance)).toEqual(['vault-eu', 'vault-eu', 'a\u001b[2Jb', undefined, undefined]);
    expect(message).toContain('  instance "vault-eu" (instances[0].url): is required for metadefender-vault\n');
    // A name is quoted as JSON: a control character in it cannot drive the terminal.
    expect(message).toContain('  instance "a\\u001b[2Jb" (instances[1].vendor): must be one of');
    expect(message).not.toContain('\u001b');
    expect(message).toContain('  instances[2].name: must not be empty\n');
  });

  it('accepts MDSS with only an API key (the run explains why it cannot list keys) but not with nothing', () => {
    expect(() => parseConfig({ instances: [{ name: 'm', vendor: 'metadefender-storage', url: 'https://m', apiKey: 'abcd' }] })).not.toThrow();
    expect(problemsOf({ instances: [{ name: 'm', vendor: 'metadefender-storage', url: 'https://m' }] })).toEqual([
      expect.stringMatching(/^instances\[0\]\.username: is required .*login session/),
      expect.stringMatching(/^instances\[0\]\.password: is required/),
    ]);
  });

  it('reports a JSON syntax error with the file name', () => {
    expect(() => parseConfigText('{"instances": [', 'cfg.json')).toThrow(/cfg\.json: 1 problem:\n {2}\(top level\): is not valid JSON/);
    expect(parseConfigText('\uFEFF{"instances": []}').instances).toEqual([]);
  });

  it.each([
    ['{"instances": [', 'line 1, column 16: Unexpected end of JSON input'],
    ['{\n  "instances": [\n    {"name": "a" "vendor": "x"}\n  ]\n}', "line 3, column 18: Expected ',' or '}' after property value"],
    ['\uFEFF{\r\n  "instances": [],\r\n}', 'line 3, column 1: Expected double-quoted property name'],
    ['{"instances": []}\n}', 'line 2, column 1: Unexpected non-whitespace character after JSON'],
    // V8 quotes the text around an unexpected token and gives no position: neither may reach the user.
    ['{\n  "instances": [{"apiKey": SECRET-CONFIG-VALUE}]\n}', 'line 2, column 28: Unexpected character'],
  ])('a JSON syntax error gives line and column, never the text: %j', (text, where) => {
    let message = '';
    try {
      parseConfigText(text, 'cfg.json');
    } catch (error) {
      message = (error as ConfigError).message;
    }
    expect(message).toBe(`cfg.json: 1 problem:\n  (top level): is not valid JSON at ${where}`);
  });
});

describe('resolveSecrets', () => {
  it('reads {env} secrets and lists every missing variable', () => {
    const config = parseConfig(example);
    expect(() => resolveSecrets(config, {}, 'cfg.json')).toThrow(
      /instance "mdss" \(instances\[2\]\.password\): environment variable MDSS_PASSWORD is not set[\s\S]*instance "xsoar" \(instances\[3\]\.apiKey\): environment variable XSOAR_KEY/,
    );
    const resolved = resolveSecrets(config, { MDSS_PASSWORD: 'pw-secret', XSOAR_KEY: 'xsoar-secret' });
    expect(resolved[2]!.password).toBe('pw-secret');
    expect(resolved[3]!.apiKey).toBe('xsoar-secret');
    expect(resolved[0]!.apiKey).toBe('k1-aaaaaaaaaaaa');
  });
});
