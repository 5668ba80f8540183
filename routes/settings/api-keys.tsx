import CopyButton from '../../islands/CopyButton.tsx';
import { permissions } from '../../openapi/schemas/permissions.ts';
import { rolePermissions } from '../../regions/auth/permissions.ts';
import type { ApiFailure } from '../../web/api.ts';
import {
  allowed,
  errorFor,
  formText,
  generalError,
  NoAccess,
  Outcome,
  roleLabels,
  SelectField,
  SettingsShell,
  TextField,
} from '../../web/components/settings.tsx';
import { CsrfField } from '../../web/components/ui.tsx';
import { type Display, displayOf, formatMinute } from '../../web/display.ts';
import type { Handlers, PageProps, RouteContext } from '../../web/route.ts';

type ApiKey = {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};
type Data = {
  forbidden?: boolean;
  keys: ApiKey[];
  draft: { name: string; role: string; scopes: string[] };
  created?: { name: string; key: string };
  confirm?: ApiKey;
  notice?: string;
  failed?: { key: string; error: ApiFailure };
  loadError?: string;
};

const title = 'API keys';
const emptyDraft = { name: '', role: '', scopes: [] as string[] };
const when = (iso: string | null, display: Display) => (iso ? formatMinute(iso, display) : 'never');

async function load(ctx: RouteContext<Data>, extra: Partial<Data> = {}, status = 200) {
  if (!allowed(ctx.me, '/settings/api-keys')) {
    return ctx.render({ forbidden: true, keys: [], draft: emptyDraft }, { title, status: 403 });
  }
  const list = await ctx.api<{ data: ApiKey[] }>('/api/v1/api-keys');
  const keys = list.ok ? list.data.data : [];
  const confirmId = ctx.request.method === 'GET' ? ctx.url.searchParams.get('revoke') : null;
  const data: Data = {
    keys,
    draft: emptyDraft,
    confirm: keys.find((k) => k.id === confirmId && !k.revokedAt),
    loadError: list.ok ? undefined : list.error.message,
    ...extra,
  };
  return ctx.render(data, { title, status });
}

export const handler: Handlers<Data> = {
  GET: (ctx) => load(ctx, ctx.url.searchParams.has('revoked') ? { notice: 'The key was revoked.' } : {}),
  async POST(ctx) {
    if (!allowed(ctx.me, '/settings/api-keys')) return load(ctx);
    const form = await ctx.form();
    if (formText(form, 'intent') === 'revoke') {
      const id = formText(form, 'keyId');
      const answer = await ctx.api(`/api/v1/api-keys/${encodeURIComponent(id)}`, { method: 'DELETE' });
      if (!answer.ok) return load(ctx, { failed: { key: `key:${id}`, error: answer.error } }, answer.status);
      return ctx.redirect('/settings/api-keys?revoked=1');
    }
    const role = formText(form, 'role');
    const picked = form.getAll('scopes').map(String);
    const fromRole = (rolePermissions as Record<string, readonly string[]>)[role] ?? [];
    const draft = { name: formText(form, 'name'), role, scopes: picked };
    const scopes = [...new Set([...fromRole, ...picked])];
    const answer = await ctx.api<{ key: string }>('/api/v1/api-keys', {
      method: 'POST',
      body: { name: draft.name, scopes },
    });
    if (!answer.ok) return load(ctx, { draft, failed: { key: 'create', error: answer.error } }, answer.status);
    return load(ctx, { created: { name: draft.name, key: answer.data.key } }, 201);
  },
};

export default function ApiKeysPage({ data, csrf, me }: PageProps<Data>) {
  const display = displayOf(me);
  if (data.forbidden) {
    return (
      <SettingsShell me={me} current="/settings/api-keys" title={title}>
        <NoAccess what="API keys" />
      </SettingsShell>
    );
  }
  const { failed, created, confirm, draft } = data;
  const scopesError = errorFor(failed, 'create', 'scopes');
  return (
    <SettingsShell me={me} current="/settings/api-keys" title={title}>
      <div class="space-y-6">
        <Outcome notice={data.notice} error={data.loadError} />
        {created && (
          <section class="card space-y-2 border-emerald-300" aria-labelledby="secret-heading">
            <h2 id="secret-heading" class="font-semibold">
              The key “{created.name}” was created
            </h2>
            <p class="text-sm text-slate-700">
              Copy the secret now: it is shown only this once. Send it as <code>Authorization: Bearer …</code>.
            </p>
            <code class="block break-all rounded bg-slate-100 p-2 text-sm" data-testid="api-key-secret">
              {created.key}
            </code>
            <CopyButton text={created.key} label="Copy the secret" />
          </section>
        )}
        {confirm && (
          <section class="card space-y-3 border-red-300" aria-labelledby="confirm-heading" role="alertdialog">
            <h2 id="confirm-heading" class="font-semibold">
              Revoke “{confirm.name}”?
            </h2>
            <p class="text-sm text-slate-700">
              Programs using {confirm.prefix}… stop working at once. This cannot be undone.
            </p>
            <form method="post" class="flex gap-2">
              <CsrfField csrf={csrf} />
              <input type="hidden" name="intent" value="revoke" />
              <input type="hidden" name="keyId" value={confirm.id} />
              <button type="submit" class="btn-primary bg-red-700 hover:bg-red-800">
                Revoke the key
              </button>
              <a href="/settings/api-keys" class="btn-secondary">
                Keep it
              </a>
            </form>
          </section>
        )}
        <section class="card" aria-labelledby="keys-heading">
          <h2 id="keys-heading" class="mb-3 font-semibold">
            Keys
          </h2>
          {data.keys.length === 0 ? (
            <p class="text-sm text-slate-700">No API keys yet.</p>
          ) : (
            <div class="overflow-x-auto">
              <table class="w-full text-left text-sm">
                <thead>
                  <tr>
                    <th scope="col" class="py-2 pr-3">
                      Name
                    </th>
                    <th scope="col" class="py-2 pr-3">
                      Prefix
                    </th>
                    <th scope="col" class="py-2 pr-3">
                      Permissions
                    </th>
                    <th scope="col" class="py-2 pr-3">
                      Last used
                    </th>
                    <th scope="col" class="py-2 pr-3">
                      <span class="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.keys.map((k) => (
                    <tr key={k.id} class="border-t border-slate-100 align-top">
                      <td class="py-2 pr-3 font-medium">{k.name}</td>
                      <td class="py-2 pr-3">
                        <code>{k.prefix}</code>
                      </td>
                      <td class="py-2 pr-3">{k.scopes.length === permissions.length ? 'all' : k.scopes.join(', ')}</td>
                      <td class="py-2 pr-3">{when(k.lastUsedAt, display)}</td>
                      <td class="py-2 pr-3">
                        {k.revokedAt ? (
                          <span class="text-slate-600">revoked {when(k.revokedAt, display)}</span>
                        ) : (
                          <a
                            href={`/settings/api-keys?revoke=${k.id}`}
                            class="btn-secondary"
                            aria-label={`Revoke ${k.name}`}
                          >
                            Revoke
                          </a>
                        )}
                        {failed?.key === `key:${k.id}` && <p class="field-error">{failed.error.message}</p>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <section class="card" aria-labelledby="create-heading">
          <h2 id="create-heading" class="mb-3 font-semibold">
            Create a key
          </h2>
          <form method="post" class="space-y-4" noValidate>
            <CsrfField csrf={csrf} />
            <input type="hidden" name="intent" value="create" />
            <Outcome error={generalError(failed, 'create', ['name', 'scopes'])} />
            <div class="grid grid-cols-1 gap-4 sm:grid-cols-2">
              <TextField
                id="key-name"
                name="name"
                label="Name"
                hint="What uses it, e.g. Zapier sync"
                value={draft.name}
                error={errorFor(failed, 'create', 'name')}
              />
              <SelectField
                id="key-role"
                name="role"
                label="Permissions of a role"
                value={draft.role}
                options={[['', 'None: only those ticked below'], ...Object.entries(roleLabels)]}
              />
            </div>
            <fieldset aria-describedby={scopesError ? 'key-scopes-error' : undefined}>
              <legend class="label">Permissions (added to the role’s)</legend>
              <div class="mt-2 grid grid-cols-1 gap-1 sm:grid-cols-2 lg:grid-cols-3">
                {permissions.map((p) => (
                  <label key={p} class="flex items-center gap-2 text-sm">
                    <input type="checkbox" name="scopes" value={p} class="h-4 w-4" checked={draft.scopes.includes(p)} />
                    <code>{p}</code>
                  </label>
                ))}
              </div>
              {scopesError && (
                <p id="key-scopes-error" class="field-error">
                  {scopesError === 'Too small: expected array to have >=1 items'
                    ? 'Pick at least one permission'
                    : scopesError}
                </p>
              )}
            </fieldset>
            <button type="submit" class="btn-primary">
              Create key
            </button>
          </form>
        </section>
      </div>
    </SettingsShell>
  );
}
