import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Connection } from './database.ts';
import { openConnection } from './drivers/open.ts';
import { operationOf, type QueryOperation } from './query-timing.ts';

describe('operationOf', () => {
  it('names the statement by its first word, and nothing else', () => {
    expect(operationOf('SELECT 1')).toBe('select');
    expect(operationOf('  insert into "leads" values ($1)')).toBe('insert');
    expect(operationOf('\n\tUpdate leads set x = 1')).toBe('update');
    expect(operationOf('delete from leads')).toBe('delete');
    expect(operationOf('with x as (select 1) select * from x')).toBe('other');
    expect(operationOf('begin')).toBe('other');
    expect(operationOf(undefined)).toBe('other');
  });
});

const drivers: [string, string | undefined][] = [
  ['PGlite', 'pglite:memory:'],
  ['pg', process.env.TEST_PG_URL],
];

describe.each(drivers)('query timing on %s', (_name, url) => {
  it.skipIf(!url)(
    'hears each statement once, with its kind and a duration',
    async () => {
      const heard: [QueryOperation, number][] = [];
      const connection: Connection = await openConnection('timed', url!, 2, (operation, seconds) =>
        heard.push([operation, seconds]),
      );
      try {
        await connection.db.execute(sql`select 1`);
        await connection.db.transaction(async (tx) => {
          await tx.execute(sql`create temp table timing_probe (n int) on commit drop`);
          await tx.execute(sql`insert into timing_probe values (1), (2)`);
          await tx.execute(sql`update timing_probe set n = n + 1`);
          await tx.execute(sql`delete from timing_probe where n = 3`);
          await tx.execute(sql`select count(*) from timing_probe`);
        });
        await expect(connection.db.execute(sql`select * from no_such_table`)).rejects.toThrow();
        const kinds = heard.map(([operation]) => operation);
        // `select 1`, the count and the failed select (timed too); each write once. pg's begin/commit are `other`.
        expect(kinds.filter((k) => k === 'select')).toHaveLength(3);
        expect(kinds.filter((k) => k === 'insert')).toHaveLength(1);
        expect(kinds.filter((k) => k === 'update')).toHaveLength(1);
        expect(kinds.filter((k) => k === 'delete')).toHaveLength(1);
        for (const [, seconds] of heard) {
          expect(seconds).toBeGreaterThanOrEqual(0);
          expect(seconds).toBeLessThan(30);
        }
      } finally {
        await connection.close();
      }
      // Starting PGlite alone takes tens of seconds on a loaded machine.
    },
    180_000,
  );
});
