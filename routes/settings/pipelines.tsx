import type { ApiFailure } from '../../web/api.ts';
import {
  allowed,
  errorFor,
  formText,
  generalError,
  NoAccess,
  Outcome,
  SelectField,
  SettingsShell,
  TextField,
} from '../../web/components/settings.tsx';
import { CsrfField } from '../../web/components/ui.tsx';
import type { Handlers, PageProps, RouteContext } from '../../web/route.ts';

type Stage = { id: string; name: string; position: number; probability: number; kind: string };
type Pipeline = { id: string; name: string; isDefault: boolean; stages: Stage[] };
type Failed = { key: string; error: ApiFailure };
type Data = {
  forbidden?: boolean;
  pipelines: Pipeline[];
  current: Pipeline | null;
  confirmDelete?: boolean;
  notice?: string;
  failed?: Failed;
  loadError?: string;
};

const title = 'Pipelines and stages';
const kinds = [
  ['open', 'Open'],
  ['won', 'Won'],
  ['lost', 'Lost'],
] as const;
const notices: Record<string, string> = {
  created: 'The pipeline was created.',
  renamed: 'The pipeline was saved.',
  deleted: 'The pipeline was deleted.',
  stage: 'The stage was saved.',
  added: 'The stage was added.',
  moved: 'The stage was moved.',
  removed: 'The stage was deleted.',
};

async function load(ctx: RouteContext<Data>, extra: Partial<Data> = {}, status = 200, pipelineId?: string) {
  if (!allowed(ctx.me, '/settings/pipelines')) {
    return ctx.render({ forbidden: true, pipelines: [], current: null }, { title, status: 403 });
  }
  const list = await ctx.api<{ data: Pipeline[] }>('/api/v1/pipelines');
  const pipelines = list.ok ? list.data.data : [];
  const wanted = pipelineId ?? ctx.url.searchParams.get('pipeline');
  const current = pipelines.find((p) => p.id === wanted) ?? pipelines.find((p) => p.isDefault) ?? pipelines[0] ?? null;
  const data: Data = {
    pipelines,
    current,
    confirmDelete: ctx.request.method === 'GET' && ctx.url.searchParams.has('delete'),
    loadError: list.ok ? undefined : list.error.message,
    ...extra,
  };
  return ctx.render(data, { title, status });
}

const toInt = (value: string) => (value === '' ? undefined : Number(value));

export const handler: Handlers<Data> = {
  GET: (ctx) => load(ctx, { notice: notices[ctx.url.searchParams.get('saved') ?? ''] }),
  async POST(ctx) {
    if (!allowed(ctx.me, '/settings/pipelines')) return load(ctx);
    const form = await ctx.form();
    const intent = formText(form, 'intent');
    const pipelineId = formText(form, 'pipelineId');
    const stageId = formText(form, 'stageId');
    const base = `/api/v1/pipelines/${encodeURIComponent(pipelineId)}`;
    const stagePath = `${base}/stages/${encodeURIComponent(stageId)}`;
    const calls: Record<string, () => [string, string, unknown, string]> = {
      create: () => {
        const stages = formText(form, 'stages')
          .split('\n')
          .map((s) => s.trim())
          .filter(Boolean)
          .map((name) => ({ name }));
        return ['POST', '/api/v1/pipelines', { name: formText(form, 'name'), stages }, 'create'];
      },
      rename: () => ['PATCH', base, { name: formText(form, 'name') }, 'pipeline'],
      default: () => ['PATCH', base, { isDefault: true }, 'pipeline'],
      delete: () => ['DELETE', base, undefined, 'pipeline'],
      stage: () => [
        'PATCH',
        stagePath,
        {
          name: formText(form, 'name'),
          probability: toInt(formText(form, 'probability')),
          kind: formText(form, 'kind'),
        },
        `stage:${stageId}`,
      ],
      move: () => ['PATCH', stagePath, { position: Number(formText(form, 'position')) }, `stage:${stageId}`],
      remove: () => ['DELETE', stagePath, undefined, `stage:${stageId}`],
      add: () => [
        'POST',
        `${base}/stages`,
        {
          name: formText(form, 'name'),
          probability: toInt(formText(form, 'probability')),
          kind: formText(form, 'kind'),
        },
        'add',
      ],
    };
    const call = calls[intent];
    if (!call) return ctx.redirect('/settings/pipelines');
    const [method, path, body, key] = call();
    const answer = await ctx.api<{ id: string }>(path, { method, body });
    if (!answer.ok) return load(ctx, { failed: { key, error: answer.error } }, answer.status, pipelineId || undefined);
    const saved = { create: 'created', rename: 'renamed', default: 'renamed', delete: 'deleted', stage: 'stage' }[
      intent
    ];
    const shown = intent === 'create' ? answer.data.id : intent === 'delete' ? '' : pipelineId;
    const anchor = stageId ? `#stage-${stageId}` : '';
    const query = `saved=${saved ?? { move: 'moved', remove: 'removed', add: 'added' }[intent]}`;
    return ctx.redirect(`/settings/pipelines?${shown ? `pipeline=${shown}&` : ''}${query}${anchor}`);
  },
};

function StageRow(props: { stage: Stage; pipelineId: string; last: boolean; csrf: string; failed?: Failed }) {
  const { stage, csrf, failed } = props;
  const key = `stage:${stage.id}`;
  const hidden = (
    <>
      <CsrfField csrf={csrf} />
      <input type="hidden" name="pipelineId" value={props.pipelineId} />
      <input type="hidden" name="stageId" value={stage.id} />
    </>
  );
  const moveButton = (label: string, position: number, text: string) => (
    <form method="post">
      {hidden}
      <input type="hidden" name="intent" value="move" />
      <input type="hidden" name="position" value={position} />
      <button type="submit" class="btn-secondary" aria-label={`${label} ${stage.name}`}>
        {text}
      </button>
    </form>
  );
  return (
    <li id={`stage-${stage.id}`} tabIndex={-1} class="py-3" data-stage={stage.name}>
      <div class="flex flex-col gap-2 xl:flex-row xl:items-end">
        <form method="post" class="grid flex-1 grid-cols-1 gap-2 sm:grid-cols-4 sm:items-end" noValidate>
          {hidden}
          <input type="hidden" name="intent" value="stage" />
          <TextField
            id={`stage-${stage.id}-name`}
            name="name"
            label={`Stage ${stage.position + 1} name`}
            value={stage.name}
            error={errorFor(failed, key, 'name')}
          />
          <TextField
            id={`stage-${stage.id}-probability`}
            name="probability"
            type="number"
            min={0}
            max={100}
            label="Win probability (%)"
            value={stage.probability}
            error={errorFor(failed, key, 'probability')}
          />
          <SelectField
            id={`stage-${stage.id}-kind`}
            name="kind"
            label="Kind"
            value={stage.kind}
            options={kinds}
            error={errorFor(failed, key, 'kind')}
          />
          <button type="submit" class="btn-secondary" aria-label={`Save ${stage.name}`}>
            Save
          </button>
        </form>
        <div class="flex gap-2">
          {stage.position > 0 && moveButton('Move up', stage.position - 1, '↑ Up')}
          {!props.last && moveButton('Move down', stage.position + 1, '↓ Down')}
          <form method="post">
            {hidden}
            <input type="hidden" name="intent" value="remove" />
            <button type="submit" class="btn-secondary" aria-label={`Delete ${stage.name}`}>
              Delete
            </button>
          </form>
        </div>
      </div>
      {generalError(failed, key, ['name', 'probability', 'kind']) && (
        <p class="field-error" role="alert">
          {generalError(failed, key, ['name', 'probability', 'kind'])}
        </p>
      )}
    </li>
  );
}

export default function PipelinesSettings({ data, csrf, me }: PageProps<Data>) {
  if (data.forbidden) {
    return (
      <SettingsShell me={me} current="/settings/pipelines" title={title}>
        <NoAccess what="pipeline settings" />
      </SettingsShell>
    );
  }
  const { current, failed } = data;
  const hiddenPipeline = current && (
    <>
      <CsrfField csrf={csrf} />
      <input type="hidden" name="pipelineId" value={current.id} />
    </>
  );
  return (
    <SettingsShell me={me} current="/settings/pipelines" title={title}>
      <div class="space-y-6">
        <Outcome notice={data.notice} error={data.loadError} />
        {data.pipelines.length > 1 && (
          <nav aria-label="Pipelines" class="flex flex-wrap gap-2">
            {data.pipelines.map((p) => (
              <a
                key={p.id}
                href={`/settings/pipelines?pipeline=${p.id}`}
                aria-current={p.id === current?.id ? 'page' : undefined}
                class="btn-secondary aria-[current=page]:border-indigo-700 aria-[current=page]:text-indigo-800"
              >
                {p.name}
                {p.isDefault ? ' (default)' : ''}
              </a>
            ))}
          </nav>
        )}
        {current && (
          <section class="card space-y-4" aria-labelledby="pipeline-heading">
            <h2 id="pipeline-heading" class="font-semibold">
              {current.name}
              {current.isDefault && <span class="ml-2 text-sm font-normal text-slate-600">default pipeline</span>}
            </h2>
            <Outcome error={generalError(failed, 'pipeline', ['name', 'isDefault'])} />
            <div class="flex flex-col gap-3 sm:flex-row sm:items-end">
              <form method="post" class="flex flex-1 items-end gap-2" noValidate>
                {hiddenPipeline}
                <input type="hidden" name="intent" value="rename" />
                <TextField
                  id="pipeline-name"
                  name="name"
                  label="Pipeline name"
                  value={current.name}
                  error={errorFor(failed, 'pipeline', 'name')}
                  class="flex-1"
                />
                <button type="submit" class="btn-secondary">
                  Rename
                </button>
              </form>
              {!current.isDefault && (
                <form method="post">
                  {hiddenPipeline}
                  <input type="hidden" name="intent" value="default" />
                  <button type="submit" class="btn-secondary">
                    Make default
                  </button>
                </form>
              )}
              <a href={`/settings/pipelines?pipeline=${current.id}&delete=1`} class="btn-secondary">
                Delete pipeline…
              </a>
            </div>
            {data.confirmDelete && (
              <div role="alertdialog" aria-labelledby="delete-pipeline" class="rounded-md border border-red-300 p-3">
                <p id="delete-pipeline" class="text-sm">
                  Delete “{current.name}” and its stages? This cannot be undone.
                </p>
                <form method="post" class="mt-2 flex gap-2">
                  {hiddenPipeline}
                  <input type="hidden" name="intent" value="delete" />
                  <button type="submit" class="btn-primary bg-red-700 hover:bg-red-800">
                    Delete pipeline
                  </button>
                  <a href={`/settings/pipelines?pipeline=${current.id}`} class="btn-secondary">
                    Cancel
                  </a>
                </form>
              </div>
            )}
            <h3 class="font-medium">Stages, in order</h3>
            <ol class="divide-y divide-slate-100" aria-label={`Stages of ${current.name}`}>
              {current.stages.map((stage, i) => (
                <StageRow
                  key={stage.id}
                  stage={stage}
                  pipelineId={current.id}
                  last={i === current.stages.length - 1}
                  csrf={csrf}
                  failed={failed}
                />
              ))}
            </ol>
            <form method="post" class="space-y-3 border-t border-slate-200 pt-4" noValidate>
              {hiddenPipeline}
              <input type="hidden" name="intent" value="add" />
              <h3 class="font-medium">Add a stage</h3>
              <Outcome error={generalError(failed, 'add', ['name', 'probability', 'kind'])} />
              <div class="grid grid-cols-1 gap-2 sm:grid-cols-4 sm:items-end">
                <TextField id="add-name" name="name" label="New stage name" error={errorFor(failed, 'add', 'name')} />
                <TextField
                  id="add-probability"
                  name="probability"
                  type="number"
                  min={0}
                  max={100}
                  label="Win probability (%)"
                  error={errorFor(failed, 'add', 'probability')}
                />
                <SelectField id="add-kind" name="kind" label="Kind" value="open" options={kinds} />
                <button type="submit" class="btn-primary">
                  Add stage
                </button>
              </div>
            </form>
          </section>
        )}
        <section class="card" aria-labelledby="new-pipeline-heading">
          <h2 id="new-pipeline-heading" class="mb-3 font-semibold">
            New pipeline
          </h2>
          <form method="post" class="space-y-3" noValidate>
            <CsrfField csrf={csrf} />
            <input type="hidden" name="intent" value="create" />
            <Outcome error={generalError(failed, 'create', ['name', 'stages'])} />
            <TextField id="new-pipeline-name" name="name" label="Name" error={errorFor(failed, 'create', 'name')} />
            <div>
              <label for="new-pipeline-stages" class="label">
                Stages, one per line
              </label>
              <textarea
                id="new-pipeline-stages"
                name="stages"
                rows={4}
                class="input"
                aria-invalid={errorFor(failed, 'create', 'stages') ? 'true' : undefined}
                aria-describedby={errorFor(failed, 'create', 'stages') ? 'new-pipeline-stages-error' : undefined}
              >
                {'Qualification\nProposal\nNegotiation'}
              </textarea>
              {errorFor(failed, 'create', 'stages') && (
                <p id="new-pipeline-stages-error" class="field-error">
                  {errorFor(failed, 'create', 'stages')}
                </p>
              )}
            </div>
            <button type="submit" class="btn-primary">
              Create pipeline
            </button>
          </form>
        </section>
      </div>
    </SettingsShell>
  );
}
