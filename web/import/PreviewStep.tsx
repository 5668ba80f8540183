import {
  type CustomFieldInfo,
  fieldLabel,
  type ImportView,
  type MappingDraft,
  type Preview,
  previewCells,
} from './model.ts';

type Props = {
  imp: ImportView;
  custom: CustomFieldInfo[];
  draft: MappingDraft;
  preview: Preview;
  busy: boolean;
  onBack(): void;
  onStart(): void;
};

/** The fields the rows fill, in column order: what the preview table shows. */
function shownFields(imp: ImportView, draft: MappingDraft): string[] {
  const fields = imp.headers.map((h) => draft[h]).filter((f): f is string => !!f);
  // A full name column fills first and last name: the preview shows those.
  return [...new Set(fields.flatMap((f) => (f === 'fullName' ? ['firstName', 'lastName'] : [f])))];
}

/** The first rows as they will be written, and every problem found in them by line and column. */
export function PreviewStep(props: Props) {
  const { imp, custom, preview } = props;
  const fields = shownFields(imp, props.draft);
  const problems = preview.rows.filter((r) => r.errors.length > 0);
  const total = imp.totalRows ?? 0;
  return (
    <section class="space-y-4" aria-labelledby="preview-heading">
      <h2 id="preview-heading" tabIndex={-1} class="text-lg font-semibold">
        Preview
      </h2>
      <p class="text-sm text-slate-700">
        The first {preview.rows.length} of {total} rows, checked with the mapping: {preview.validRows} ready,{' '}
        {preview.invalidRows} with problems. Rows with problems are not imported; the error report lists them when the
        import has finished.
      </p>
      {problems.length > 0 && (
        <div class="alert-error">
          <h3 id="preview-problems" class="font-semibold">
            Problems found
          </h3>
          <ul aria-labelledby="preview-problems" class="ml-5 mt-1 list-disc" data-testid="preview-problems">
            {problems.flatMap((row) =>
              row.errors.map((e) => (
                <li key={`${row.line}-${e.field}-${e.message}`}>
                  Line {row.line}: {e.field}: {e.message}
                </li>
              )),
            )}
          </ul>
        </div>
      )}
      <div class="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table class="min-w-full text-sm">
          <caption class="sr-only">The first rows as they will be imported</caption>
          <thead class="bg-slate-50 text-left">
            <tr>
              <th scope="col" class="px-3 py-2 font-semibold">
                Line
              </th>
              {fields.map((f) => (
                <th key={f} scope="col" class="whitespace-nowrap px-3 py-2 font-semibold">
                  {fieldLabel(f, custom)}
                </th>
              ))}
              <th scope="col" class="px-3 py-2 font-semibold">
                Check
              </th>
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((row) => {
              const cells = previewCells(row.values);
              return (
                <tr key={row.line} class={`border-t border-slate-200 ${row.errors.length ? 'bg-red-50' : ''}`}>
                  <th scope="row" class="px-3 py-2 text-left font-medium">
                    {row.line}
                  </th>
                  {fields.map((f) => (
                    <td key={f} class="px-3 py-2">
                      {cells[f] ?? ''}
                    </td>
                  ))}
                  <td class="px-3 py-2">
                    {row.errors.length ? (
                      <span class="text-red-800">{row.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}</span>
                    ) : (
                      <span class="text-emerald-800">Ready</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div class="flex flex-wrap gap-2">
        <button type="button" class="btn-secondary" disabled={props.busy} onClick={props.onBack}>
          Back to mapping
        </button>
        <button type="button" class="btn-primary" disabled={props.busy} onClick={props.onStart}>
          {props.busy ? 'Starting…' : `Start import of ${total} rows`}
        </button>
      </div>
    </section>
  );
}
