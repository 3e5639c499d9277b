import { describe, expect, it } from 'vitest';
import { t } from './i18n';

describe('t', () => {
  it('reads the English locale file in unit tests', () => {
    expect(t('extName')).toBe('KeyAtlas');
  });
});
