import CopyButton from '../../islands/CopyButton.tsx';
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
import { displayOf, formatMinute } from '../../web/display.ts';
import type { Handlers, PageProps, RouteContext } from '../../web/route.ts';

type User = { id: string; email: string; name: string; role: string; status: string };
type Invited = { email: string; token: string; link: string; expiresAt: string };
type Failed = { key: string; error: ApiFailure };
type Data = {
  forbidden?: boolean;
  users: User[];
  invite: { email: string; name: string; role: string };
  invited?: Invited;
  notice?: string;
  failed?: Failed;
  loadError?: string;
};

const roles = Object.entries(roleLabels) as [string, string][];
const title = 'Users and roles';
const notices: Record<string, string> = {
  role: 'The role was changed.',
  disabled: 'The user was disabled; they can no longer sign in.',
  active: 'The user was enabled again.',
  'signed-out': 'The user was signed out everywhere; they can sign in again.',
};

async function load(ctx: RouteContext<Data>, extra: Partial<Data> = {}, status = 200) {
  if (!allowed(ctx.me, '/settings/users')) {
    return ctx.render(
      { forbidden: true, users: [], invite: { email: '', name: '', role: 'sales_rep' } },
      { title, status: 403 },
    );
  }
  const list = await ctx.api<{ data: User[] }>('/api/v1/users');
  const data: Data = {
    users: list.ok ? list.data.data : [],
    loadError: list.ok ? undefined : list.error.message,
    invite: { email: '', name: '', role: 'sales_rep' },
    ...extra,
  };
  return ctx.render(data, { title, status });
}

export const handler: Handlers<Data> = {
  GET: (ctx) => load(ctx, { notice: notices[ctx.url.searchParams.get('saved') ?? ''] }),
  async POST(ctx) {
    if (!allowed(ctx.me, '/settings/users')) return load(ctx);
    const form = await ctx.form();
    const intent = formText(form, 'intent');
    if (intent === 'invite') {
      const invite = { email: formText(form, 'email'), name: formText(form, 'name'), role: formText(form, 'role') };
      const body = invite.name ? invite : { email: invite.email, role: invite.role };
      const answer = await ctx.api<{ inviteToken: string; inviteExpiresAt: string }>('/api/v1/users', {
        method: 'POST',
        body,
      });
      if (!answer.ok) return load(ctx, { invite, failed: { key: 'invite', error: answer.error } }, answer.status);
      const token = answer.data.inviteToken;
      const link = `${ctx.url.origin}/accept-invite?token=${encodeURIComponent(token)}`;
      const invited = { email: invite.email, token, link, expiresAt: answer.data.inviteExpiresAt };
      return load(ctx, { invited, notice: `${invite.email} was invited.` }, 201);
    }
    const id = formText(form, 'userId');
    if (intent === 'sessions') {
      const ended = await ctx.api(`/api/v1/users/${encodeURIComponent(id)}/sessions`, { method: 'DELETE' });
      if (!ended.ok) return load(ctx, { failed: { key: `user:${id}`, error: ended.error } }, ended.status);
      return ctx.redirect('/settings/users?saved=signed-out');
    }
    const patch = intent === 'role' ? { role: formText(form, 'role') } : { status: formText(form, 'status') };
    const answer = await ctx.api(`/api/v1/users/${encodeURIComponent(id)}`, { method: 'PATCH', body: patch });
    if (!answer.ok) return load(ctx, { failed: { key: `user:${id}`, error: answer.error } }, answer.status);
    return ctx.redirect(`/settings/users?saved=${intent === 'role' ? 'role' : patch.status}`);
  },
};

export default function UsersPage({ data, csrf, me }: PageProps<Data>) {
  if (data.forbidden) {
    return (
      <SettingsShell me={me} current="/settings/users" title={title}>
        <NoAccess what="users and roles" />
      </SettingsShell>
    );
  }
  const { failed, invited } = data;
  return (
    <SettingsShell me={me} current="/settings/users" title={title}>
      <div class="space-y-6">
        <Outcome notice={data.notice} error={data.loadError} />
        {invited && (
          <section class="card space-y-2" aria-labelledby="invited-heading">
            <h2 id="invited-heading" class="font-semibold">
              Invitation for {invited.email}
            </h2>
            <p class="text-sm text-slate-700">
              Send them this invitation link; it is shown only now and works once, until{' '}
              {formatMinute(invited.expiresAt, displayOf(me))}. Opening it lets them choose their password.
            </p>
            <code class="block break-all rounded bg-slate-100 p-2 text-sm" data-testid="invite-link">
              {invited.link}
            </code>
            <CopyButton text={invited.link} label="Copy invitation link" />
            <p class="text-sm text-slate-700">The token alone, for the API (POST /api/v1/auth/accept-invite):</p>
            <code class="block break-all rounded bg-slate-100 p-2 text-sm" data-testid="invite-token">
              {invited.token}
            </code>
            <CopyButton text={invited.token} label="Copy invitation token" />
          </section>
        )}
        <section class="card" aria-labelledby="invite-heading">
          <h2 id="invite-heading" class="mb-3 font-semibold">
            Invite a user
          </h2>
          <form method="post" class="space-y-4" noValidate>
            <CsrfField csrf={csrf} />
            <input type="hidden" name="intent" value="invite" />
            <Outcome error={generalError(failed, 'invite', ['email', 'name', 'role'])} />
            <div class="grid grid-cols-1 gap-4 sm:grid-cols-3">
              <TextField
                id="invite-email"
                name="email"
                type="email"
                label="Email"
                value={data.invite.email}
                error={errorFor(failed, 'invite', 'email')}
              />
              <TextField
                id="invite-name"
                name="name"
                label="Name (optional)"
                value={data.invite.name}
                error={errorFor(failed, 'invite', 'name')}
              />
              <SelectField
                id="invite-role"
                name="role"
                label="Role"
                value={data.invite.role}
                options={roles}
                error={errorFor(failed, 'invite', 'role')}
              />
            </div>
            <button type="submit" class="btn-primary">
              Send invitation
            </button>
          </form>
        </section>
        <section class="card" aria-labelledby="members-heading">
          <h2 id="members-heading" class="mb-3 font-semibold">
            Members
          </h2>
          <ul class="divide-y divide-slate-100">
            {data.users.map((u) => {
              const who = u.name || u.email;
              const error = failed?.key === `user:${u.id}` ? failed.error.message : null;
              return (
                <li key={u.id} class="flex flex-col gap-3 py-3 lg:flex-row lg:items-end" data-user={u.email}>
                  <div class="min-w-0 flex-1">
                    <p class="font-medium">{who}</p>
                    <p class="text-sm text-slate-600">
                      {u.email} · {roleLabels[u.role] ?? u.role} ·{' '}
                      <span class={u.status === 'disabled' ? 'text-red-800' : ''}>{u.status}</span>
                    </p>
                    {error && (
                      <p class="field-error" role="alert">
                        {error}
                      </p>
                    )}
                  </div>
                  <form method="post" class="flex items-end gap-2">
                    <CsrfField csrf={csrf} />
                    <input type="hidden" name="intent" value="role" />
                    <input type="hidden" name="userId" value={u.id} />
                    <SelectField
                      id={`role-${u.id}`}
                      name="role"
                      label={`Role of ${who}`}
                      value={u.role}
                      options={roles}
                    />
                    <button type="submit" class="btn-secondary">
                      Change role
                    </button>
                  </form>
                  <form method="post">
                    <CsrfField csrf={csrf} />
                    <input type="hidden" name="intent" value="status" />
                    <input type="hidden" name="userId" value={u.id} />
                    <input type="hidden" name="status" value={u.status === 'disabled' ? 'active' : 'disabled'} />
                    <button
                      type="submit"
                      class="btn-secondary"
                      aria-label={`${u.status === 'disabled' ? 'Enable' : 'Disable'} ${who}`}
                    >
                      {u.status === 'disabled' ? 'Enable' : 'Disable'}
                    </button>
                  </form>
                  <form method="post">
                    <CsrfField csrf={csrf} />
                    <input type="hidden" name="intent" value="sessions" />
                    <input type="hidden" name="userId" value={u.id} />
                    <button type="submit" class="btn-secondary">
                      Sign out everywhere<span class="sr-only">: {who}</span>
                    </button>
                  </form>
                </li>
              );
            })}
          </ul>
        </section>
      </div>
    </SettingsShell>
  );
}
