import ImportUpload from '../../islands/ImportUpload.tsx';
import type { ImportEntity } from '../../openapi/schemas/imports.ts';
import type { ApiFailure } from '../../web/api.ts';
import { Alert, PageTitle } from '../../web/components/ui.tsx';
import { displayOf, formatMinute } from '../../web/display.ts';
import { entityLabels, type ImportView, statusLabels } from '../../web/import/model.ts';
import type { Handlers, PageProps } from '../../web/route.ts';

type Data = {
  imports: ImportView[];
  nextCursor: string | null;
  /** The cursor this page was read from: "newer" links back to the first page. */
  paged: boolean;
  error?: ApiFailure;
};

const plural: Record<ImportEntity, string> = { lead: 'leads', contact: 'contacts', company: 'companies' };
const PAGE_SIZE = 25;

export const handler: Handlers<Data> = {
  async GET(ctx) {
    const allowed = ctx.me?.permissions.includes('data:import') ?? false;
    if (!allowed) return ctx.render({ imports: [], nextCursor: null, paged: false }, { title: 'Import', status: 403 });
    const cursor = (ctx.url.searchParams.get('cursor') ?? '').slice(0, 200);
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (cursor) query.set('cursor', cursor);
    const answer = await ctx.api<{ data: ImportView[]; nextCursor: string | null }>(`/api/v1/imports?${query}`);
    if (!answer.ok) {
      return ctx.render({ imports: [], nextCursor: null, paged: !!cursor, error: answer.error }, { title: 'Import' });
    }
    return ctx.render(
      { imports: answer.data.data, nextCursor: answer.data.nextCursor, paged: !!cursor },
      { title: 'Import' },
    );
  },
};

function rowsOf(imp: ImportView) {
  if (imp.status === 'uploaded') return `${imp.totalRows ?? 0} rows`;
  const parts = [`${imp.processedRows} of ${imp.totalRows ?? 0} rows`];
  if (imp.createdRows) parts.push(`${imp.createdRows} created`);
  if (imp.updatedRows) parts.push(`${imp.updatedRows} updated`);
  if (imp.skippedRows) parts.push(`${imp.skippedRows} skipped`);
  if (imp.failedRows) parts.push(`${imp.failedRows} failed`);
  return parts.join(', ');
}

const statusTone: Record<ImportView['status'], string> = {
  uploaded: 'bg-slate-100 text-slate-800',
  queued: 'bg-sky-100 text-sky-900',
  running: 'bg-sky-100 text-sky-900',
  completed: 'bg-emerald-100 text-emerald-900',
  failed: 'bg-red-100 text-red-900',
  cancelled: 'bg-amber-100 text-amber-900',
};

/** `/import`: a new upload (what to import, the file, its progress), then every past import with its status. */
export default function ImportPage({ data, me }: PageProps<Data>) {
  const display = displayOf(me);
  const permissions = me?.permissions ?? [];
  if (!permissions.includes('data:import')) {
    return (
      <>
        <PageTitle>Import</PageTitle>
        <Alert>Importing needs the data:import permission, which your role does not have. Ask an admin.</Alert>
      </>
    );
  }
  const entities = (['lead', 'contact', 'company'] as const).filter((e) => permissions.includes(`${plural[e]}:create`));
  return (
    <>
      <PageTitle>Import</PageTitle>
      {entities.length ? (
        <ImportUpload entities={[...entities]} />
      ) : (
        <Alert>Your role may not create leads, contacts or companies, so it cannot import them.</Alert>
      )}
      <section aria-labelledby="past-imports" class="mt-8">
        <h2 id="past-imports" class="mb-3 text-lg font-semibold">
          Past imports
        </h2>
        {data.error && <Alert>{data.error.message}</Alert>}
        {!data.error && data.imports.length === 0 && <p class="text-sm text-slate-600">No imports yet.</p>}
        {data.imports.length > 0 && (
          <div class="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table class="min-w-full text-sm">
              <caption class="sr-only">Past imports, newest first</caption>
              <thead class="bg-slate-50 text-left">
                <tr>
                  <th scope="col" class="px-3 py-2 font-semibold">
                    File
                  </th>
                  <th scope="col" class="px-3 py-2 font-semibold">
                    Records
                  </th>
                  <th scope="col" class="px-3 py-2 font-semibold">
                    Status
                  </th>
                  <th scope="col" class="px-3 py-2 font-semibold">
                    Rows
                  </th>
                  <th scope="col" class="px-3 py-2 font-semibold">
                    Uploaded
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.imports.map((imp) => (
                  <tr key={imp.id} class="border-t border-slate-200" data-import-id={imp.id}>
                    <td class="px-3 py-2">
                      <a href={`/import/${imp.id}`} class="font-medium text-indigo-700 underline">
                        {imp.filename}
                      </a>
                    </td>
                    <td class="px-3 py-2">{entityLabels[imp.entity].many}</td>
                    <td class="px-3 py-2">
                      <span class={`rounded px-2 py-0.5 text-xs font-semibold ${statusTone[imp.status]}`}>
                        {statusLabels[imp.status]}
                      </span>
                    </td>
                    <td class="px-3 py-2">{rowsOf(imp)}</td>
                    <td class="whitespace-nowrap px-3 py-2">{formatMinute(imp.createdAt, display)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <nav aria-label="Past imports pages" class="mt-3 flex gap-3 text-sm">
          {data.paged && (
            <a href="/import" class="text-indigo-700 underline">
              Newest imports
            </a>
          )}
          {data.nextCursor && (
            <a href={`/import?cursor=${encodeURIComponent(data.nextCursor)}`} class="text-indigo-700 underline">
              Older imports
            </a>
          )}
        </nav>
      </section>
    </>
  );
}
