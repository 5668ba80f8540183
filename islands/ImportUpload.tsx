import { useSignal } from '@preact/signals';
import type { ImportEntity } from '../openapi/schemas/imports.ts';
import { entityLabels, fileProblem, formatBytes } from '../web/import/model.ts';
import { type Upload, uploadCsv } from '../web/import/upload.ts';
import { island } from '../web/island.tsx';

type Props = { entities: ImportEntity[] };

/**
 * Step one of an import: what the file holds and the file itself, checked here first (a CSV, not empty, within the
 * limit), then uploaded with a progress bar. The API's answer carries the suggested mapping; the import's own page
 * takes it from there.
 */
function ImportUpload({ entities }: Props) {
  const entity = useSignal<ImportEntity>(entities[0] ?? 'lead');
  const file = useSignal<File | null>(null);
  const error = useSignal<string | null>(null);
  const progress = useSignal<number | null>(null);
  const current = useSignal<Upload | null>(null);

  async function submit(event: Event) {
    event.preventDefault();
    const problem = fileProblem(file.value);
    if (problem) {
      error.value = problem;
      document.getElementById('import-file')?.focus();
      return;
    }
    error.value = null;
    progress.value = 0;
    const upload = uploadCsv(file.value!, entity.value, (fraction) => {
      progress.value = fraction;
    });
    current.value = upload;
    const result = await upload.done;
    current.value = null;
    if (result.ok) {
      progress.value = 1;
      location.assign(`/import/${result.data.id}`);
      return;
    }
    progress.value = null;
    const detail = result.error.details.map((d) => d.message).join(' ');
    error.value =
      result.status === 413
        ? `The file is larger than the server accepts. ${result.error.message}.`
        : `${result.error.message}${detail && !result.error.message.includes(detail) ? ` (${detail})` : ''}`;
  }

  const busy = current.value !== null;
  const percent = progress.value === null ? null : Math.round(progress.value * 100);
  return (
    <form class="card max-w-2xl space-y-4" onSubmit={submit} aria-labelledby="upload-heading" noValidate>
      <h2 id="upload-heading" class="text-lg font-semibold">
        Upload a CSV file
      </h2>
      <fieldset>
        <legend class="label">What does the file hold?</legend>
        <div class="mt-2 flex flex-wrap gap-4">
          {entities.map((e) => (
            <label key={e} class="inline-flex items-center gap-2 text-sm">
              <input
                type="radio"
                name="entity"
                value={e}
                checked={entity.value === e}
                disabled={busy}
                onChange={() => {
                  entity.value = e;
                }}
              />
              {entityLabels[e].many}
            </label>
          ))}
        </div>
      </fieldset>
      <div>
        <label for="import-file" class="label">
          CSV file
        </label>
        <input
          id="import-file"
          name="file"
          type="file"
          accept=".csv,text/csv"
          class="input"
          disabled={busy}
          aria-invalid={error.value ? 'true' : undefined}
          aria-describedby={error.value ? 'import-file-hint import-file-error' : 'import-file-hint'}
          onChange={(event) => {
            file.value = (event.currentTarget as HTMLInputElement).files?.[0] ?? null;
            error.value = null;
          }}
        />
        <p id="import-file-hint" class="mt-1 text-xs text-slate-600">
          UTF-8, with a header row first. You choose which column fills which field next.
          {file.value && ` Chosen: ${file.value.name}, ${formatBytes(file.value.size)}.`}
        </p>
        {error.value && (
          <p id="import-file-error" role="alert" class="field-error">
            {error.value}
          </p>
        )}
      </div>
      {percent !== null && (
        <div>
          <div class="flex justify-between text-sm">
            <span id="upload-progress-label">Uploading {file.value?.name}</span>
            <span aria-hidden="true">{percent}%</span>
          </div>
          <progress
            class="mt-1 h-2 w-full accent-indigo-700"
            max={100}
            value={percent}
            aria-labelledby="upload-progress-label"
          />
        </div>
      )}
      <div class="flex gap-2">
        <button type="submit" class="btn-primary" disabled={busy}>
          {busy ? 'Uploading…' : 'Upload and map columns'}
        </button>
        {busy && (
          <button type="button" class="btn-secondary" onClick={() => current.value?.abort()}>
            Stop upload
          </button>
        )}
      </div>
    </form>
  );
}

export default island('ImportUpload', ImportUpload);
