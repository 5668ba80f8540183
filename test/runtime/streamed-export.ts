import { parse } from 'csv-parse/sync';
import { expect, vi } from 'vitest';
import { newId } from '../../db/ids.ts';
import { leads } from '../../db/schema/index.ts';
import type { TestStack } from '../support/stack.ts';

/**
 * What the runtime suites share to check that a CSV export streams through the edge they run: leads written
 * straight into the shard, the download checked cell for cell, and a watch on the region's export for a client
 * that leaves mid-download.
 */

/** Rows enough for several of the export's pages, few enough to keep a runtime suite quick. */
export const STREAMED_LEADS = 2_600;

/** Writes `count` leads with source `stream` in multi-row inserts; returns firstName by id. */
export async function seedStreamedLeads(
  stack: TestStack,
  region: string,
  organizationId: string,
  count = STREAMED_LEADS,
) {
  const names = new Map<string, string>();
  const rows = Array.from({ length: count }, (_, i) => {
    const id = newId();
    const firstName = i % 500 === 0 ? `Quoted "${i}", with comma` : `Stream ${i}`;
    names.set(id, firstName);
    return { organizationId, id, firstName, source: 'stream' };
  });
  const { shards } = stack.regions[region]!.ctx;
  // A few thousand rows per statement keeps each within PostgreSQL's bind-parameter limit.
  for (let i = 0; i < rows.length; i += 4000) {
    await shards.withTenant(organizationId, (tx) => tx.insert(leads).values(rows.slice(i, i + 4000)));
  }
  // PGlite runs on this thread, so the inserts may have held the event loop past the servers' keep-alive timeout:
  // let both ends retire the idle connection before a request is sent on it and meets a reset.
  await new Promise((resolve) => setTimeout(resolve, 100));
  return names;
}

export const EXPORT_PATH = '/api/v1/exports/leads.csv?source=stream';

/**
 * Reads the export as it arrives: the first chunk on its own (the edge must hand it over before the region has
 * finished), then the rest; checks the headers and that every lead is there once, cell for cell.
 */
export async function expectStreamedExport(response: Response, names: Map<string, string>) {
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="leads-\d{4}-\d{2}-\d{2}\.csv"/);
  expect(response.headers.get('x-request-id')).toMatch(/\S/);
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  // The edge did not read the file to measure it.
  expect(response.headers.get('content-length')).toBeNull();
  const reader = response.body!.getReader();
  const chunks: Uint8Array[] = [];
  for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(Buffer.concat(chunks));
  expect(text.startsWith('\ufeffid,firstName,')).toBe(true);
  const [header, ...rows] = parse(text, { bom: true }) as string[][];
  const idAt = header!.indexOf('id');
  const nameAt = header!.indexOf('firstName');
  expect(rows).toHaveLength(names.size);
  expect(new Set(rows.map((row) => row[idAt])).size).toBe(names.size);
  for (const row of rows) expect(row[nameAt]).toBe(names.get(row[idAt]!));
}

/**
 * Slows the organization's reads in the region a little (so a client can leave mid-export) and counts them;
 * `cancelled` settles when the region's export stream is cancelled by its reader.
 */
export function watchRegionExport(stack: TestStack, region: string, organizationId: string) {
  const { ctx } = stack.regions[region]!;
  const withTenant = ctx.shards.withTenant.bind(ctx.shards);
  const watch = { pages: 0 };
  const slowed = vi.spyOn(ctx.shards, 'withTenant').mockImplementation(async (id, work) => {
    if (id === organizationId) {
      watch.pages++;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return withTenant(id, work);
  });
  const logged = vi.spyOn(ctx.log, 'info');
  return {
    watch,
    async cancelled() {
      await vi.waitFor(
        () =>
          expect(logged).toHaveBeenCalledWith({ entity: 'leads', organizationId }, 'export cancelled by its reader'),
        { timeout: 10_000 },
      );
    },
    restore() {
      slowed.mockRestore();
      logged.mockRestore();
    },
  };
}
