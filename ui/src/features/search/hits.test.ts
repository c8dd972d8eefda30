import { describe, expect, it } from 'vitest';
import { snippetParts } from './hits';

describe('search snippets', () => {
  it('split matches out as marked text', () => {
    expect(snippetParts('…ремонт [дороги] в [с. Ивановка]')).toEqual([
      { text: '…ремонт ', mark: false },
      { text: 'дороги', mark: true },
      { text: ' в ', mark: false },
      { text: 'с. Ивановка', mark: true },
    ]);
  });

  it('keep markup as plain text', () => {
    expect(snippetParts('<script>alert(1)</script>')).toEqual([{ text: '<script>alert(1)</script>', mark: false }]);
  });
});
