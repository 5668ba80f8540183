import { afterAll } from 'vitest';
import { companies, contacts, deals, leads } from '../../db/schema/index.ts';
import { ShardSet } from '../../db/shard-set.ts';
import { ensureDefaultPipeline } from '../pipelines/defaults.ts';
import { describeSearchContract } from './contract.ts';
import { documentOf } from './documents.ts';
import { createPostgresSearch } from './postgres.ts';
import { createTypesenseSearch } from './typesense.ts';

// The PostgreSQL back end is fed by the rows themselves (generated search columns), so seeding is inserting.
const opened: ShardSet[] = [];
afterAll(() => Promise.all(opened.map((s) => s.close())));

describeSearchContract('PostgreSQL', async () => {
  const shards = await ShardSet.open('us', [{ id: 'us-0', url: 'pglite:memory:' }]);
  opened.push(shards);
  return {
    backend: createPostgresSearch(shards),
    seed: (organizationId, records) =>
      shards.withTenant(organizationId, async (tx) => {
        for (const { type, ...fields } of records) {
          const row = { organizationId, ...fields };
          if (type === 'lead') await tx.insert(leads).values(row as typeof leads.$inferInsert);
          if (type === 'contact') await tx.insert(contacts).values(row as typeof contacts.$inferInsert);
          if (type === 'company') await tx.insert(companies).values(row as typeof companies.$inferInsert);
          if (type === 'deal') {
            const { pipeline, stages } = await ensureDefaultPipeline(tx, organizationId);
            await tx
              .insert(deals)
              .values({ ...(row as typeof deals.$inferInsert), pipelineId: pipeline.id, stageId: stages[0]!.id });
          }
        }
      }),
  };
});

// No Typesense server can be installed here; set TYPESENSE_URL (and TYPESENSE_API_KEY) to run the same suite on one.
const typesenseUrl = process.env.TYPESENSE_URL;
describeSearchContract(
  'Typesense',
  async () => {
    const backend = createTypesenseSearch({
      url: typesenseUrl!,
      apiKey: process.env.TYPESENSE_API_KEY ?? 'xyz',
      collection: `crm_contract_${Date.now()}`,
    });
    return {
      backend,
      seed: async (organizationId, records) => {
        for (const record of records) await backend.put(documentOf(organizationId, record));
      },
    };
  },
  !typesenseUrl,
);
