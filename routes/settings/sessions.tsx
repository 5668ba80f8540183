import type { ApiFailure } from '../../web/api.ts';
import { formText, Outcome, SettingsShell } from '../../web/components/settings.tsx';
import { CsrfField } from '../../web/components/ui.tsx';
import { displayOf, formatMinute } from '../../web/display.ts';
import type { Handlers, PageProps, RouteContext } from '../../web/route.ts';

type Session = {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
};
type Data = { sessions: Session[]; notice?: string; failed?: { key: string; error: ApiFailure }; loadError?: string };

const title = 'Sessions';
const notices: Record<string, string> = {
  one: 'The session was signed out. Its device is signed out within a few seconds.',
  others: 'Every other session was signed out.',
};

/** A short, readable name for a browser from its user agent; the full string stays available to read. */
function deviceName(userAgent: string | null): string {
  if (!userAgent) return 'Unknown device';
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrome\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : null;
  const system = /Windows/.test(userAgent)
    ? 'Windows'
    : /Android/.test(userAgent)
      ? 'Android'
      : /iPhone|iPad/.test(userAgent)
        ? 'iOS'
        : /Mac OS X/.test(userAgent)
          ? 'macOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : null;
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? userAgent.slice(0, 60);
}

async function load(ctx: RouteContext<Data>, extra: Partial<Data> = {}, status = 200) {
  const list = await ctx.api<{ data: Session[] }>('/api/v1/me/sessions');
  const data: Data = {
    sessions: list.ok ? list.data.data : [],
    loadError: list.ok ? undefined : list.error.message,
    ...extra,
  };
  return ctx.render(data, { title, status });
}

export const handler: Handlers<Data> = {
  GET: (ctx) => load(ctx, { notice: notices[ctx.url.searchParams.get('signed-out') ?? ''] }),
  async POST(ctx) {
    const form = await ctx.form();
    if (formText(form, 'intent') === 'others') {
      const answer = await ctx.api('/api/v1/me/sessions', { method: 'DELETE' });
      if (!answer.ok) return load(ctx, { failed: { key: 'others', error: answer.error } }, answer.status);
      return ctx.redirect('/settings/sessions?signed-out=others');
    }
    const id = formText(form, 'sessionId');
    const answer = await ctx.api(`/api/v1/me/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' });
    if (!answer.ok) return load(ctx, { failed: { key: `session:${id}`, error: answer.error } }, answer.status);
    return ctx.redirect('/settings/sessions?signed-out=one');
  },
};

export default function SessionsPage({ data, csrf, me }: PageProps<Data>) {
  const display = displayOf(me);
  const others = data.sessions.filter((s) => !s.current);
  return (
    <SettingsShell me={me} current="/settings/sessions" title={title}>
      <div class="space-y-6">
        <Outcome
          notice={data.notice}
          error={data.loadError ?? (data.failed?.key === 'others' ? data.failed.error.message : null)}
        />
        <section class="card" aria-labelledby="sessions-heading">
          <h2 id="sessions-heading" class="mb-1 font-semibold">
            Where you are signed in
          </h2>
          <p class="mb-3 text-sm text-slate-700">
            Each sign-in stays active for a week unless it is used. Sign out any you do not recognise, then change your
            password.
          </p>
          <ul class="divide-y divide-slate-100" data-testid="sessions">
            {data.sessions.map((s) => {
              const device = deviceName(s.userAgent);
              const error = data.failed?.key === `session:${s.id}` ? data.failed.error.message : null;
              return (
                <li key={s.id} class="flex flex-col gap-3 py-3 sm:flex-row sm:items-center" data-session={s.id}>
                  <div class="min-w-0 flex-1">
                    <p class="font-medium">
                      {device}
                      {s.current && (
                        <span class="ml-2 rounded bg-indigo-50 px-2 py-0.5 text-xs text-indigo-800">This session</span>
                      )}
                    </p>
                    <p class="text-sm text-slate-600">
                      {s.ip ?? 'IP unknown'} · signed in {formatMinute(s.createdAt, display)} · last active{' '}
                      {formatMinute(s.lastUsedAt, display)}
                    </p>
                    {s.userAgent && (
                      <p class="truncate text-xs text-slate-600" title={s.userAgent}>
                        {s.userAgent}
                      </p>
                    )}
                    {error && (
                      <p class="field-error" role="alert">
                        {error}
                      </p>
                    )}
                  </div>
                  {!s.current && (
                    <form method="post">
                      <CsrfField csrf={csrf} />
                      <input type="hidden" name="intent" value="one" />
                      <input type="hidden" name="sessionId" value={s.id} />
                      <button
                        type="submit"
                        class="btn-secondary"
                        aria-label={`Sign out ${device}, last active ${formatMinute(s.lastUsedAt, display)}`}
                      >
                        Sign out
                      </button>
                    </form>
                  )}
                </li>
              );
            })}
          </ul>
        </section>
        {others.length > 0 && (
          <form method="post">
            <CsrfField csrf={csrf} />
            <input type="hidden" name="intent" value="others" />
            <button type="submit" class="btn-secondary">
              Sign out all other sessions ({others.length})
            </button>
          </form>
        )}
      </div>
    </SettingsShell>
  );
}
