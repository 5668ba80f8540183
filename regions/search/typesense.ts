import { Client } from 'typesense';
import type { SearchableType, SearchBackend, SearchHit, SearchRequest } from './query.ts';

/** One record as Typesense holds it: enough to find it, rank it and show it, nothing more. */
export type SearchDocument = {
  type: SearchableType;
  id: string;
  organizationId: string;
  ownerId: string | null;
  title: string;
  subtitle: string | null;
  /** Every searchable word of the record, as in PostgreSQL's `search_text`. */
  text: string;
};

export type SearchIndexer = {
  put(document: SearchDocument): Promise<void>;
  remove(organizationId: string, type: SearchableType, id: string): Promise<void>;
};

const documentId = (type: SearchableType, id: string) => `${type}:${id}`;

/** The filter that scopes a Typesense query like RLS and the roles scope PostgreSQL's: tenant, types, owner. */
export function typesenseFilter(request: SearchRequest): string {
  const uuid = /^[0-9a-f-]{36}$/;
  if (!uuid.test(request.organizationId) || (request.ownerOnly && !uuid.test(request.ownerOnly))) {
    throw new Error('search scope must be made of UUIDs');
  }
  const parts = [`organization_id:=${request.organizationId}`, `type:=[${request.types.join(',')}]`];
  if (request.ownerOnly) parts.push(`(type:=company || owner_id:=${request.ownerOnly})`);
  return parts.join(' && ');
}

/**
 * Typesense behind the search port (`SEARCH_BACKEND=typesense`, `TYPESENSE_URL`, `TYPESENSE_API_KEY`): one
 * collection for every tenant, each query filtered to one organization. Not run against a real Typesense server
 * here (none can be installed); the contract suite runs it when TYPESENSE_URL is set.
 */
export function createTypesenseSearch(options: { url: string; apiKey: string; collection?: string }) {
  const collection = options.collection ?? 'crm_records';
  const { hostname, port, protocol } = new URL(options.url);
  const client = new Client({
    nodes: [
      { host: hostname, port: Number(port || (protocol === 'https:' ? 443 : 80)), protocol: protocol.slice(0, -1) },
    ],
    apiKey: options.apiKey,
    connectionTimeoutSeconds: 5,
  });
  let ready: Promise<void> | undefined;
  const ensureCollection = () => {
    ready ??= client
      .collections(collection)
      .retrieve()
      .then(
        () => undefined,
        async () => {
          await client.collections().create({
            name: collection,
            fields: [
              { name: 'organization_id', type: 'string', facet: true },
              { name: 'type', type: 'string', facet: true },
              { name: 'owner_id', type: 'string', optional: true, facet: true },
              { name: 'title', type: 'string' },
              { name: 'subtitle', type: 'string', optional: true },
              { name: 'text', type: 'string' },
            ],
          });
        },
      );
    return ready;
  };

  const backend: SearchBackend & SearchIndexer = {
    name: 'typesense',
    async search(request) {
      await ensureCollection();
      const result = await client
        .collections<Record<string, unknown>>(collection)
        .documents()
        .search({
          q: request.text,
          query_by: 'title,text',
          prefix: true,
          num_typos: 2,
          filter_by: typesenseFilter(request),
          per_page: request.limit,
        });
      return (result.hits ?? []).map(
        (hit): SearchHit => ({
          type: hit.document.type as SearchableType,
          id: String(hit.document.record_id),
          title: String(hit.document.title),
          subtitle: (hit.document.subtitle as string | undefined) ?? null,
          ownerId: (hit.document.owner_id as string | undefined) ?? null,
          score: Number(hit.text_match ?? 0),
        }),
      );
    },
    async put(document) {
      await ensureCollection();
      await client
        .collections(collection)
        .documents()
        .upsert({
          id: documentId(document.type, document.id),
          record_id: document.id,
          organization_id: document.organizationId,
          type: document.type,
          ...(document.ownerId ? { owner_id: document.ownerId } : {}),
          title: document.title,
          ...(document.subtitle ? { subtitle: document.subtitle } : {}),
          text: document.text,
        });
    },
    async remove(organizationId, type, id) {
      await ensureCollection();
      await client
        .collections(collection)
        .documents()
        .delete({ filter_by: `organization_id:=${organizationId} && record_id:=${id} && type:=${type}` });
    },
  };
  return backend;
}
