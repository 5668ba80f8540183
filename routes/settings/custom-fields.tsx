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

type Definition = {
  id: string;
  entity: string;
  key: string;
  label: string;
  type: string;
  options: string[] | null;
  required: boolean;
};
type Draft = { key: string; label: string; type: string; options: string; required: boolean };
type Failed = { key: string; error: ApiFailure };
type Data = {
  forbidden?: boolean;
  entity: string;
  fields: Definition[];
  editId?: string | null;
  deleteId?: string | null;
  draft: Draft;
  notice?: string;
  failed?: Failed;
  loadError?: string;
};

const title = 'Custom fields';
const entities = [
  ['lead', 'Leads'],
  ['contact', 'Contacts'],
  ['company', 'Companies'],
  ['deal', 'Deals'],
] as const;
const types = [
  ['text', 'Text'],
  ['number', 'Number'],
  ['date', 'Date'],
  ['select', 'Select (one option)'],
  ['multi_select', 'Multi-select (several options)'],
  ['boolean', 'Yes / no'],
] as const;
const emptyDraft: Draft = { key: '', label: '', type: 'text', options: '', required: false };
const notices: Record<string, string> = {
  created: 'The field was created.',
  saved: 'The field was saved.',
  deleted: 'The field and its values were deleted.',
};
const fieldNames = ['key', 'label', 'type', 'options', 'required'];

const entityOf = (value: string | null) => (entities.some(([e]) => e === value) ? value! : 'lead');

async function load(ctx: RouteContext<Data>, extra: Partial<Data> = {}, status = 200, entityName?: string) {
  const entity = entityOf(entityName ?? ctx.url.searchParams.get('entity'));
  if (!allowed(ctx.me, '/settings/custom-fields')) {
    return ctx.render({ forbidden: true, entity, fields: [], draft: emptyDraft }, { title, status: 403 });
  }
  const list = await ctx.api<{ data: Definition[] }>('/api/v1/custom-fields');
  const isGet = ctx.request.method === 'GET';
  const data: Data = {
    entity,
    fields: list.ok ? list.data.data.filter((f) => f.entity === entity) : [],
    editId: isGet ? ctx.url.searchParams.get('edit') : null,
    deleteId: isGet ? ctx.url.searchParams.get('delete') : null,
    draft: emptyDraft,
    loadError: list.ok ? undefined : list.error.message,
    ...extra,
  };
  return ctx.render(data, { title, status });
}

function draftOf(form: FormData): Draft {
  return {
    key: formText(form, 'key'),
    label: formText(form, 'label'),
    type: formText(form, 'type'),
    options: formText(form, 'options'),
    required: form.get('required') === 'on',
  };
}

function bodyOf(draft: Draft) {
  const options = draft.options
    .split(/[\n,]/)
    .map((o) => o.trim())
    .filter(Boolean);
  const withOptions = draft.type === 'select' || draft.type === 'multi_select';
  return {
    key: draft.key,
    label: draft.label,
    type: draft.type,
    required: draft.required,
    ...(withOptions ? { options } : {}),
  };
}

export const handler: Handlers<Data> = {
  GET: (ctx) => load(ctx, { notice: notices[ctx.url.searchParams.get('saved') ?? ''] }),
  async POST(ctx) {
    if (!allowed(ctx.me, '/settings/custom-fields')) return load(ctx);
    const form = await ctx.form();
    const intent = formText(form, 'intent');
    const entity = entityOf(formText(form, 'entity'));
    const id = formText(form, 'fieldId');
    const back = (saved: string) => ctx.redirect(`/settings/custom-fields?entity=${entity}&saved=${saved}`);
    if (intent === 'delete') {
      const answer = await ctx.api(`/api/v1/custom-fields/${encodeURIComponent(id)}`, { method: 'DELETE' });
      if (!answer.ok) return load(ctx, { failed: { key: `field:${id}`, error: answer.error } }, answer.status, entity);
      return back('deleted');
    }
    const draft = draftOf(form);
    if (intent === 'edit') {
      const answer = await ctx.api(`/api/v1/custom-fields/${encodeURIComponent(id)}`, {
        method: 'PATCH',
        body: bodyOf(draft),
      });
      if (!answer.ok) {
        return load(ctx, { editId: id, failed: { key: `field:${id}`, error: answer.error } }, answer.status, entity);
      }
      return back('saved');
    }
    const answer = await ctx.api('/api/v1/custom-fields', { method: 'POST', body: { entity, ...bodyOf(draft) } });
    if (!answer.ok) return load(ctx, { draft, failed: { key: 'create', error: answer.error } }, answer.status, entity);
    return back('created');
  },
};

function DefinitionForm(props: {
  prefix: string;
  intent: 'create' | 'edit';
  entity: string;
  draft: Draft;
  csrf: string;
  failed?: Failed;
  failKey: string;
  fieldId?: string;
}) {
  const { prefix, draft, failed, failKey } = props;
  const optionsError = errorFor(failed, failKey, 'options');
  return (
    <form method="post" class="space-y-3" noValidate>
      <CsrfField csrf={props.csrf} />
      <input type="hidden" name="intent" value={props.intent} />
      <input type="hidden" name="entity" value={props.entity} />
      {props.fieldId && <input type="hidden" name="fieldId" value={props.fieldId} />}
      <Outcome error={generalError(failed, failKey, fieldNames)} />
      <div class="grid grid-cols-1 gap-3 sm:grid-cols-3">
        <TextField
          id={`${prefix}-label`}
          name="label"
          label="Label"
          value={draft.label}
          error={errorFor(failed, failKey, 'label')}
        />
        <TextField
          id={`${prefix}-key`}
          name="key"
          label="Key"
          hint="Lower case and underscores, e.g. industry_tier"
          value={draft.key}
          error={errorFor(failed, failKey, 'key')}
        />
        <SelectField
          id={`${prefix}-type`}
          name="type"
          label="Type"
          value={draft.type}
          options={types}
          error={errorFor(failed, failKey, 'type')}
        />
      </div>
      <div>
        <label for={`${prefix}-options`} class="label">
          Options (select and multi-select), one per line or comma-separated
        </label>
        <textarea
          id={`${prefix}-options`}
          name="options"
          rows={3}
          class="input"
          aria-invalid={optionsError ? 'true' : undefined}
          aria-describedby={optionsError ? `${prefix}-options-error` : undefined}
        >
          {draft.options}
        </textarea>
        {optionsError && (
          <p id={`${prefix}-options-error`} class="field-error">
            {optionsError}
          </p>
        )}
      </div>
      <div class="flex items-center gap-2">
        <input id={`${prefix}-required`} name="required" type="checkbox" class="h-4 w-4" checked={draft.required} />
        <label for={`${prefix}-required`} class="text-sm">
          Required
        </label>
      </div>
      <button type="submit" class="btn-primary">
        {props.intent === 'create' ? 'Create field' : 'Save field'}
      </button>
    </form>
  );
}

export default function CustomFieldsPage({ data, csrf, me }: PageProps<Data>) {
  if (data.forbidden) {
    return (
      <SettingsShell me={me} current="/settings/custom-fields" title={title}>
        <NoAccess what="custom fields" />
      </SettingsShell>
    );
  }
  const { failed, entity } = data;
  const entityLabel = entities.find(([e]) => e === entity)?.[1] ?? '';
  return (
    <SettingsShell me={me} current="/settings/custom-fields" title={title}>
      <div class="space-y-6">
        <Outcome notice={data.notice} error={data.loadError} />
        <nav aria-label="Record types" class="flex flex-wrap gap-2">
          {entities.map(([e, label]) => (
            <a
              key={e}
              href={`/settings/custom-fields?entity=${e}`}
              aria-current={e === entity ? 'page' : undefined}
              class="btn-secondary aria-[current=page]:border-indigo-700 aria-[current=page]:text-indigo-800"
            >
              {label}
            </a>
          ))}
        </nav>
        <section class="card" aria-labelledby="fields-heading">
          <h2 id="fields-heading" class="mb-3 font-semibold">
            Fields on {entityLabel.toLowerCase()}
          </h2>
          {data.fields.length === 0 && <p class="text-sm text-slate-700">No custom fields yet.</p>}
          <ul class="divide-y divide-slate-100">
            {data.fields.map((f) => {
              const failKey = `field:${f.id}`;
              const draft = { ...f, options: (f.options ?? []).join('\n') };
              return (
                <li key={f.id} class="py-3" data-field={f.key}>
                  <div class="flex flex-wrap items-center gap-3">
                    <div class="min-w-0 flex-1">
                      <p class="font-medium">
                        {f.label} {f.required && <span class="text-sm font-normal text-slate-600">(required)</span>}
                      </p>
                      <p class="text-sm text-slate-600">
                        <code>{f.key}</code> · {types.find(([t]) => t === f.type)?.[1] ?? f.type}
                        {f.options?.length ? ` · ${f.options.join(', ')}` : ''}
                      </p>
                    </div>
                    <a href={`/settings/custom-fields?entity=${entity}&edit=${f.id}`} class="btn-secondary">
                      Edit <span class="sr-only">{f.label}</span>
                    </a>
                    <a href={`/settings/custom-fields?entity=${entity}&delete=${f.id}`} class="btn-secondary">
                      Delete <span class="sr-only">{f.label}</span>
                    </a>
                  </div>
                  {data.deleteId === f.id && (
                    <div
                      role="alertdialog"
                      aria-label={`Delete ${f.label}`}
                      class="mt-3 rounded-md border border-red-300 p-3"
                    >
                      <p class="text-sm">Delete “{f.label}” and every value stored in it? This cannot be undone.</p>
                      <form method="post" class="mt-2 flex gap-2">
                        <CsrfField csrf={csrf} />
                        <input type="hidden" name="intent" value="delete" />
                        <input type="hidden" name="entity" value={entity} />
                        <input type="hidden" name="fieldId" value={f.id} />
                        <button type="submit" class="btn-primary bg-red-700 hover:bg-red-800">
                          Delete field
                        </button>
                        <a href={`/settings/custom-fields?entity=${entity}`} class="btn-secondary">
                          Cancel
                        </a>
                      </form>
                    </div>
                  )}
                  {failed?.key === failKey && data.editId !== f.id && (
                    <p class="field-error" role="alert">
                      {failed.error.message}
                    </p>
                  )}
                  {data.editId === f.id && (
                    <div class="mt-3 rounded-md border border-slate-200 p-3">
                      <DefinitionForm
                        prefix={`edit-${f.id}`}
                        intent="edit"
                        entity={entity}
                        draft={draft}
                        csrf={csrf}
                        failed={failed}
                        failKey={failKey}
                        fieldId={f.id}
                      />
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
        </section>
        <section class="card" aria-labelledby="new-field-heading">
          <h2 id="new-field-heading" class="mb-3 font-semibold">
            New field on {entityLabel.toLowerCase()}
          </h2>
          <DefinitionForm
            prefix="new-field"
            intent="create"
            entity={entity}
            draft={data.draft}
            csrf={csrf}
            failed={failed}
            failKey="create"
          />
        </section>
      </div>
    </SettingsShell>
  );
}
