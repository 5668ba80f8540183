import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { api } from '../web/client/api.ts';
import { MappingStep } from '../web/import/MappingStep.tsx';
import {
  type CustomFieldInfo,
  draftOf,
  hasProblems,
  type ImportView,
  isFinished,
  mappingPatch,
  mappingProblems,
  type Preview,
} from '../web/import/model.ts';
import { PreviewStep } from '../web/import/PreviewStep.tsx';
import { ProgressStep } from '../web/import/ProgressStep.tsx';
import { island } from '../web/island.tsx';

type Props = { initial: ImportView; etag: string | null; custom: CustomFieldInfo[] };

const POLL_MS = 1000;
const steps = ['Upload', 'Map columns', 'Preview', 'Import'] as const;

/** Errors the API named per column (`mapping.<column>`), beside the column. */
const columnDetails = (details: { path: string; message: string }[]) =>
  Object.fromEntries(details.filter((d) => d.path.startsWith('mapping.')).map((d) => [d.path.slice(8), d.message]));

/**
 * One import from mapping to result: the columns mapped (the API's suggestion first), the first rows previewed
 * with their problems by line, then the run, polled from GET /api/v1/imports/{id} until it finishes, with cancel.
 */
function ImportWizard(props: Props) {
  const imp = useSignal(props.initial);
  const etag = useSignal(props.etag);
  const draft = useSignal(draftOf(props.initial));
  const onDuplicate = useSignal(props.initial.options.onDuplicate);
  const preview = useSignal<Preview | null>(null);
  const busy = useSignal(false);
  const checked = useSignal(false);
  const serverColumns = useSignal<Record<string, string>>({});
  const message = useSignal<string | null>(null);

  const running = !isFinished(imp.value.status) && imp.value.status !== 'uploaded';
  useEffect(() => {
    if (!running) return;
    let timer: ReturnType<typeof setTimeout>;
    let stopped = false;
    const poll = async () => {
      const result = await api<ImportView>(`/api/v1/imports/${imp.value.id}`);
      if (stopped) return;
      if (result.ok) {
        imp.value = result.data;
        message.value = null;
      } else message.value = `Could not read the progress: ${result.error.message}. Trying again.`;
      if (!result.ok || !isFinished(result.data.status)) timer = setTimeout(poll, result.ok ? POLL_MS : 3 * POLL_MS);
    };
    timer = setTimeout(poll, POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [running]);

  const problems = mappingProblems(imp.value.entity, imp.value.headers, draft.value, props.custom, onDuplicate.value);

  async function saveAndPreview() {
    checked.value = true;
    message.value = null;
    if (hasProblems(problems)) {
      requestAnimationFrame(() => document.getElementById('mapping-errors')?.focus());
      return;
    }
    busy.value = true;
    const saved = await api<ImportView>(`/api/v1/imports/${imp.value.id}`, {
      method: 'PATCH',
      body: { mapping: mappingPatch(imp.value.headers, draft.value), options: { onDuplicate: onDuplicate.value } },
      headers: etag.value ? { 'if-match': etag.value } : {},
    });
    if (!saved.ok) {
      busy.value = false;
      serverColumns.value = columnDetails(saved.error.details);
      message.value =
        saved.status === 412
          ? 'Someone changed this import meanwhile; reload the page to see it.'
          : saved.error.message;
      return;
    }
    imp.value = saved.data;
    etag.value = saved.headers.get('etag');
    serverColumns.value = {};
    const checkedRows = await api<Preview>(`/api/v1/imports/${imp.value.id}/preview`, { method: 'POST' });
    busy.value = false;
    if (!checkedRows.ok) {
      message.value = checkedRows.error.message;
      return;
    }
    preview.value = checkedRows.data;
    requestAnimationFrame(() => document.getElementById('preview-heading')?.focus());
  }

  async function start() {
    busy.value = true;
    message.value = null;
    const started = await api<ImportView>(`/api/v1/imports/${imp.value.id}/start`, { method: 'POST' });
    busy.value = false;
    if (!started.ok) {
      message.value = started.error.message;
      if (started.error.details.some((d) => d.path.startsWith('mapping'))) preview.value = null;
      return;
    }
    imp.value = started.data;
  }

  async function cancel() {
    busy.value = true;
    const cancelled = await api<ImportView>(`/api/v1/imports/${imp.value.id}/cancel`, { method: 'POST' });
    busy.value = false;
    if (cancelled.ok) imp.value = cancelled.data;
    else message.value = cancelled.error.message;
  }

  const status = imp.value.status;
  const current = status !== 'uploaded' ? 3 : preview.value ? 2 : 1;
  return (
    <div class="space-y-6">
      <ol class="flex flex-wrap gap-2 text-sm" aria-label="Import steps">
        {steps.map((label, i) => (
          <li
            key={label}
            aria-current={i === current ? 'step' : undefined}
            class={`rounded-full border px-3 py-1 ${i === current ? 'border-indigo-700 bg-indigo-50 font-semibold text-indigo-900' : i < current ? 'border-slate-300 text-slate-700' : 'border-slate-200 text-slate-600'}`}
          >
            {i + 1}. {label}
            {i < current && <span class="sr-only"> (done)</span>}
          </li>
        ))}
      </ol>
      {message.value && (
        <p role="alert" class="alert-error">
          {message.value}
        </p>
      )}
      {current === 1 && (
        <MappingStep
          imp={imp.value}
          custom={props.custom}
          draft={draft.value}
          suggested={props.initial.mapping}
          onDuplicate={onDuplicate.value}
          columnErrors={{ ...serverColumns.value, ...(checked.value ? problems.columns : {}) }}
          generalErrors={checked.value ? problems.general : []}
          busy={busy.value}
          onMap={(header, field) => {
            draft.value = { ...draft.value, [header]: field };
            const { [header]: _, ...rest } = serverColumns.value;
            serverColumns.value = rest;
          }}
          onDuplicateChange={(value) => {
            onDuplicate.value = value;
          }}
          onSubmit={saveAndPreview}
        />
      )}
      {current === 2 && preview.value && (
        <PreviewStep
          imp={imp.value}
          custom={props.custom}
          draft={draft.value}
          preview={preview.value}
          busy={busy.value}
          onBack={() => {
            preview.value = null;
          }}
          onStart={start}
        />
      )}
      {current === 3 && <ProgressStep imp={imp.value} busy={busy.value} onCancel={cancel} />}
    </div>
  );
}

export default island('ImportWizard', ImportWizard);
