import { describe, expect, it } from 'vitest';
import { isPlainHttpRemote } from './cleartext';

describe('isPlainHttpRemote', () => {
  it('flags http to any host but this machine', () => {
    for (const url of ['http://core.example:8008', 'http://10.20.0.5:8008/', 'http://127.0.0.1.evil.example', 'http://[fe80::1]:80'])
      expect(isPlainHttpRemote(url), url).toBe(true);
    for (const url of ['https://core.example', 'http://127.0.0.1:8008', 'http://127.5.0.1', 'http://localhost:3000', 'http://[::1]:8008', undefined, 'not a url'])
      expect(isPlainHttpRemote(url), String(url)).toBe(false);
  });
});
