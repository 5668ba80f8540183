import ImportWizard from '../../islands/ImportWizard.tsx';
import type { ApiFailure } from '../../web/api.ts';
import { Alert, PageTitle } from '../../web/components/ui.tsx';
import { type CustomFieldInfo, entityLabels, type ImportView } from '../../web/import/model.ts';
import type { Handlers, PageProps } from '../../web/route.ts';

type Data = { imp: ImportView | null; etag: string | null; custom: CustomFieldInfo[]; error?: ApiFailure };

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const handler: Handlers<Data> = {
  async GET(ctx) {
    const id = ctx.params.id ?? '';
    if (!uuid.test(id)) {
      const error = { status: 404, code: 'not_found', message: 'There is no such import', details: [] };
      return ctx.render({ imp: null, etag: null, custom: [], error }, { title: 'Import', status: 404 });
    }
    const answer = await ctx.api<ImportView>(`/api/v1/imports/${id}`);
    if (!answer.ok) {
      return ctx.render(
        { imp: null, etag: null, custom: [], error: answer.error },
        { title: 'Import', status: answer.status },
      );
    }
    const imp = answer.data;
    // Labels and required flags of the custom fields the mapping offers; without them the keys stand in.
    type Field = CustomFieldInfo & { entity: string };
    const fields = await ctx.api<{ data: Field[] }>(`/api/v1/custom-fields?entity=${imp.entity}`);
    const custom = fields.ok ? fields.data.data.map(({ key, label, required }) => ({ key, label, required })) : [];
    return ctx.render({ imp, etag: answer.headers.get('etag'), custom }, { title: `Import ${imp.filename}` });
  },
};

/** `/import/:id`: one import's mapping, preview, progress and result. */
export default function ImportDetail({ data }: PageProps<Data>) {
  const { imp } = data;
  return (
    <>
      <p class="mb-2 text-sm">
        <a href="/import" class="text-indigo-700 underline">
          All imports
        </a>
      </p>
      {!imp ? (
        <>
          <PageTitle>Import</PageTitle>
          <Alert>{data.error?.message ?? 'This import could not be read.'}</Alert>
        </>
      ) : (
        <>
          <PageTitle>
            Import of {entityLabels[imp.entity].many.toLowerCase()} from {imp.filename}
          </PageTitle>
          <ImportWizard initial={imp} etag={data.etag} custom={data.custom} />
        </>
      )}
    </>
  );
}
