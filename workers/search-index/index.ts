import { indexEvent, indexedEventTypes } from '../../regions/search/indexer.ts';
import { createTypesenseSearch } from '../../regions/search/typesense.ts';
import type { Worker } from '../context.ts';

/** Keeps Typesense current from the event stream; PostgreSQL search needs no feeding (generated columns). */
export const searchIndexWorker: Worker = {
  name: 'search-index',
  enabled: (env) => env.SEARCH_BACKEND === 'typesense',
  consumerGroups: (region) => [`search-index-${region}`],
  async start(ctx) {
    const indexer = createTypesenseSearch({
      url: ctx.env.TYPESENSE_URL!,
      apiKey: ctx.env.TYPESENSE_API_KEY ?? '',
    });
    const subscription = ctx.bus.subscribe(
      `search-index-${ctx.region}`,
      { types: indexedEventTypes, batchSize: 200 },
      async (event) => {
        if (event.region === ctx.region) await indexEvent(ctx.shards, indexer, event);
      },
    );
    return subscription;
  },
};
