import CopyButton from '../../islands/CopyButton.tsx';
import type { ApiFailure } from '../../web/api.ts';
import {
  blankForm,
  bodyFromDraft,
  draftFromForm,
  type LeadFormDraft,
  LeadFormEditor,
} from '../../web/components/lead-form-editor.tsx';
import { allowed, formText, NoAccess, Outcome, SettingsShell } from '../../web/components/settings.tsx';
import { CsrfField } from '../../web/components/ui.tsx';
import type { Handlers, PageProps, RouteContext } from '../../web/route.ts';

type LeadForm = {
  id: string;
  publicId: string;
  embedSnippet: string;
  name: string;
  fields: { name: string; label: string; type: string; required?: boolean; leadField?: string; options?: string[] }[];
  consentText: string | null;
  submitLabel: string;
  successMessage: string | null;
  redirectUrl: string | null;
  allowedOrigins: string[];
  active: boolean;
  version: number;
};
type Data = {
  forbidden?: boolean;
  forms: LeadForm[];
  editor?: LeadFormDraft;
  deleteId?: string | null;
  notice?: string;
  failed?: { key: string; error: ApiFailure };
  loadError?: string;
};

const title = 'Forms';
const notices: Record<string, string> = {
  created: 'The form was created. Paste its snippet into your site.',
  saved: 'The form was saved.',
  deleted: 'The form was deleted.',
};

const draftOf = (f: LeadForm): LeadFormDraft => ({
  id: f.id,
  version: f.version,
  name: f.name,
  fields: f.fields.map((x) => ({
    name: x.name,
    label: x.label,
    type: x.type,
    leadField: x.leadField ?? '',
    required: Boolean(x.required),
    options: (x.options ?? []).join(', '),
  })),
  allowedOrigins: f.allowedOrigins.join('\n'),
  consentText: f.consentText ?? '',
  successMessage: f.successMessage ?? '',
  redirectUrl: f.redirectUrl ?? '',
  submitLabel: f.submitLabel,
  active: f.active,
});

async function load(ctx: RouteContext<Data>, extra: Partial<Data> = {}, status = 200) {
  if (!allowed(ctx.me, '/settings/forms')) return ctx.render({ forbidden: true, forms: [] }, { title, status: 403 });
  const list = await ctx.api<{ data: LeadForm[] }>('/api/v1/forms');
  const forms = list.ok ? list.data.data : [];
  const params = ctx.url.searchParams;
  const isGet = ctx.request.method === 'GET';
  const editing = isGet ? forms.find((f) => f.id === params.get('edit')) : undefined;
  const data: Data = {
    forms,
    editor: editing ? draftOf(editing) : isGet && params.has('new') ? blankForm() : undefined,
    deleteId: isGet ? params.get('delete') : null,
    loadError: list.ok ? undefined : list.error.message,
    ...extra,
  };
  return ctx.render(data, { title, status });
}

export const handler: Handlers<Data> = {
  GET: (ctx) => load(ctx, { notice: notices[ctx.url.searchParams.get('saved') ?? ''] }),
  async POST(ctx) {
    if (!allowed(ctx.me, '/settings/forms')) return load(ctx);
    const form = await ctx.form();
    const intent = formText(form, 'intent');
    if (intent === 'delete') {
      const id = formText(form, 'formId');
      const answer = await ctx.api(`/api/v1/forms/${encodeURIComponent(id)}`, { method: 'DELETE' });
      if (!answer.ok) return load(ctx, { failed: { key: `form:${id}`, error: answer.error } }, answer.status);
      return ctx.redirect('/settings/forms?saved=deleted');
    }
    const draft = draftFromForm(form);
    const answer = draft.id
      ? await ctx.api<LeadForm>(`/api/v1/forms/${encodeURIComponent(draft.id)}`, {
          method: 'PATCH',
          body: bodyFromDraft(draft),
          headers: draft.version ? { 'if-match': `"v${draft.version}"` } : {},
        })
      : await ctx.api<LeadForm>('/api/v1/forms', { method: 'POST', body: bodyFromDraft(draft) });
    if (!answer.ok) return load(ctx, { editor: draft, failed: { key: 'editor', error: answer.error } }, answer.status);
    return ctx.redirect(`/settings/forms?saved=${draft.id ? 'saved' : 'created'}#form-${answer.data.id}`);
  },
};

export default function FormsPage({ data, csrf, me }: PageProps<Data>) {
  if (data.forbidden) {
    return (
      <SettingsShell me={me} current="/settings/forms" title={title}>
        <NoAccess what="lead-capture forms" />
      </SettingsShell>
    );
  }
  const { failed } = data;
  return (
    <SettingsShell me={me} current="/settings/forms" title={title}>
      <div class="space-y-6">
        <Outcome notice={data.notice} error={data.loadError} />
        {data.editor ? (
          <section class="card" aria-labelledby="editor-heading">
            <h2 id="editor-heading" class="mb-3 font-semibold">
              {data.editor.id ? `Edit “${data.editor.name}”` : 'New form'}
            </h2>
            <LeadFormEditor draft={data.editor} csrf={csrf} failed={failed} />
          </section>
        ) : (
          <a href="/settings/forms?new=1" class="btn-primary">
            New form
          </a>
        )}
        {data.forms.length === 0 && !data.editor && <p class="text-sm text-slate-700">No lead-capture forms yet.</p>}
        {data.forms.map((f) => (
          <section key={f.id} id={`form-${f.id}`} class="card space-y-3" aria-labelledby={`form-${f.id}-heading`}>
            <div class="flex flex-wrap items-center gap-3">
              <h2 id={`form-${f.id}-heading`} class="flex-1 font-semibold">
                {f.name}
                {!f.active && <span class="ml-2 text-sm font-normal text-slate-600">(not accepting submissions)</span>}
              </h2>
              <a href={`/settings/forms?edit=${f.id}`} class="btn-secondary">
                Edit <span class="sr-only">{f.name}</span>
              </a>
              <a href={`/settings/forms?delete=${f.id}`} class="btn-secondary">
                Delete <span class="sr-only">{f.name}</span>
              </a>
            </div>
            <p class="text-sm text-slate-700">
              {f.fields.length} field{f.fields.length === 1 ? '' : 's'} · allowed on {f.allowedOrigins.join(', ')}
            </p>
            {data.deleteId === f.id && (
              <div role="alertdialog" aria-label={`Delete ${f.name}`} class="rounded-md border border-red-300 p-3">
                <p class="text-sm">Delete “{f.name}”? Pages that embed it will show nothing.</p>
                <form method="post" class="mt-2 flex gap-2">
                  <CsrfField csrf={csrf} />
                  <input type="hidden" name="intent" value="delete" />
                  <input type="hidden" name="formId" value={f.id} />
                  <button type="submit" class="btn-primary bg-red-700 hover:bg-red-800">
                    Delete form
                  </button>
                  <a href="/settings/forms" class="btn-secondary">
                    Cancel
                  </a>
                </form>
              </div>
            )}
            {failed?.key === `form:${f.id}` && (
              <p class="field-error" role="alert">
                {failed.error.message}
              </p>
            )}
            <div>
              <h3 class="label">Embed snippet</h3>
              <pre class="mt-1 overflow-x-auto rounded bg-slate-100 p-2 text-xs" data-testid="embed-snippet">
                <code>{f.embedSnippet}</code>
              </pre>
              <div class="mt-2">
                <CopyButton text={f.embedSnippet} label={`Copy the snippet of ${f.name}`} />
              </div>
            </div>
          </section>
        ))}
      </div>
    </SettingsShell>
  );
}
