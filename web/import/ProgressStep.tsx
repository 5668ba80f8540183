import { entityLabels, type ImportView, isFinished, percentDone, statusLabels } from './model.ts';

type Props = { imp: ImportView; busy: boolean; onCancel(): void };

const finishedText = (imp: ImportView) => {
  if (imp.status === 'completed') return 'The import has finished.';
  if (imp.status === 'cancelled') return 'The import was cancelled; the rows imported before it stopped stay.';
  return 'The import failed; the rows imported before it stopped stay.';
};

/** Rows done out of the file's, what became of them, a cancel button while it runs, and the results once done. */
export function ProgressStep({ imp, busy, onCancel }: Props) {
  const done = isFinished(imp.status);
  const percent = percentDone(imp);
  const what = entityLabels[imp.entity];
  const counters = [
    ['Created', imp.createdRows],
    ['Updated', imp.updatedRows],
    ['Skipped (already there)', imp.skippedRows],
    ['Failed', imp.failedRows],
  ] as const;
  return (
    <section class="space-y-4" aria-labelledby="progress-heading">
      <h2 id="progress-heading" class="text-lg font-semibold">
        {done ? 'Result' : 'Progress'}
      </h2>
      <p aria-live="polite" class="text-sm">
        Status: <strong data-testid="import-status">{statusLabels[imp.status]}</strong>
        {imp.cancelRequested && !done && ' — stopping after the current batch'}
      </p>
      <div>
        <div class="flex justify-between text-sm">
          <span id="rows-label">Rows processed</span>
          <span data-testid="rows-done">
            {imp.processedRows} of {imp.totalRows ?? 0} ({percent}%)
          </span>
        </div>
        <progress class="mt-1 h-2 w-full accent-indigo-700" max={100} value={percent} aria-labelledby="rows-label" />
      </div>
      <dl class="grid grid-cols-2 gap-3 sm:grid-cols-4">
        {counters.map(([label, value]) => (
          <div key={label} class="card">
            <dt class="text-xs text-slate-600">{label}</dt>
            <dd class="text-xl font-semibold" data-testid={`rows-${label.split(' ')[0]!.toLowerCase()}`}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
      {!done && (
        <button type="button" class="btn-secondary" disabled={busy || imp.cancelRequested} onClick={onCancel}>
          {imp.cancelRequested ? 'Stopping…' : 'Cancel import'}
        </button>
      )}
      {done && (
        <div class="space-y-2">
          <p role="status" class={imp.status === 'completed' ? 'alert-info' : 'alert-error'}>
            {finishedText(imp)}
          </p>
          <ul class="flex flex-wrap gap-x-6 gap-y-2 text-sm">
            {imp.errorsUrl && imp.failedRows > 0 && (
              <li>
                <a href={imp.errorsUrl} download class="font-medium text-indigo-700 underline">
                  Download the error report ({imp.failedRows} {imp.failedRows === 1 ? 'row' : 'rows'})
                </a>
              </li>
            )}
            {imp.createdRows + imp.updatedRows > 0 && (
              <li>
                <a href={what.href} class="font-medium text-indigo-700 underline">
                  See the imported {what.many.toLowerCase()}
                </a>
              </li>
            )}
            <li>
              <a href="/import" class="font-medium text-indigo-700 underline">
                Import another file
              </a>
            </li>
          </ul>
        </div>
      )}
    </section>
  );
}
