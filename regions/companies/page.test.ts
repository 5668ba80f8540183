import { describe, expect, it } from 'vitest';
import { decodeCursor } from '../support/cursor.ts';
import { likeLiteral, pageOf, startsWith } from './page.ts';

const row = (id: string) => ({ id });
const ids = ['0193a5f7-0000-7000-8000-000000000003', '0193a5f7-0000-7000-8000-000000000002'];

describe('pageOf', () => {
  it('gives a cursor at the last row shown when one more row was fetched', () => {
    const page = pageOf([...ids, '0193a5f7-0000-7000-8000-000000000001'].map(row), 2, (r) => r.id);
    expect(page.data).toEqual(ids);
    expect(decodeCursor(page.nextCursor!)).toBe(ids[1]);
  });

  it('ends with a null cursor when no extra row came back', () => {
    expect(pageOf(ids.map(row), 2, (r) => r.id)).toEqual({ data: ids, nextCursor: null });
    expect(pageOf([], 5, (r: { id: string }) => r.id)).toEqual({ data: [], nextCursor: null });
  });
});

describe('startsWith', () => {
  it('matches a prefix', () => {
    expect(startsWith('acme')).toBe('acme%');
  });

  it('takes LIKE wildcards and the escape character literally', () => {
    expect(startsWith('100%')).toBe('100\\%%');
    expect(startsWith('a_b')).toBe('a\\_b%');
    expect(startsWith('back\\slash')).toBe('back\\\\slash%');
    expect(likeLiteral('50%_off')).toBe('50\\%\\_off');
  });
});
