import type { ApiFailure } from '../web/api.ts';
import { fieldError, formError } from '../web/api.ts';
import { Alert, CsrfField, Field } from '../web/components/ui.tsx';
import type { Handlers, PageProps, RouteConfig } from '../web/route.ts';

type Data = { token: string; name?: string; error?: ApiFailure };
type Tokens = { accessToken: string; refreshToken: string; expiresIn: number };

export const config: RouteConfig = { public: true };

const title = 'Join your team';

export const handler: Handlers<Data> = {
  GET(ctx) {
    return ctx.render({ token: ctx.url.searchParams.get('token') ?? '' }, { title });
  },
  async POST(ctx) {
    const form = await ctx.form();
    const token = String(form.get('token') ?? '');
    const name = String(form.get('name') ?? '').trim();
    const password = String(form.get('password') ?? '');
    const answer = await ctx.api<Tokens>('/api/v1/auth/accept-invite', {
      method: 'POST',
      body: name ? { token, password, name } : { token, password },
    });
    if (!answer.ok) return ctx.render({ token, name, error: answer.error }, { title, status: answer.status });
    ctx.signIn(answer.data);
    return ctx.redirect('/');
  },
};

/** The page an invitation link opens: the invited person chooses a name and a password and is signed in. */
export default function AcceptInvite({ data, csrf }: PageProps<Data>) {
  const { error } = data;
  const linkDead = error?.code === 'invalid_invitation' || !data.token;
  return (
    <div class="mx-auto max-w-sm">
      <h1 class="mb-6 text-2xl font-semibold tracking-tight">{title}</h1>
      <form method="post" action="/accept-invite" class="card space-y-4" noValidate>
        <CsrfField csrf={csrf} />
        <input type="hidden" name="token" value={data.token} />
        {linkDead && (
          <Alert>
            {error?.message ?? 'This page needs the invitation link your administrator sent you.'} Ask them for a new
            invitation.
          </Alert>
        )}
        {!linkDead && formError(error, ['name', 'password']) && <Alert>{formError(error, ['name', 'password'])}</Alert>}
        <Field name="name" label="Your name" autocomplete="name" value={data.name} error={fieldError(error, 'name')} />
        <Field
          name="password"
          label="Choose a password"
          type="password"
          autocomplete="new-password"
          error={fieldError(error, 'password')}
          hint="At least 10 characters and hard to guess: a few uncommon words work well."
          required
        />
        <button type="submit" class="btn-primary w-full">
          Join
        </button>
      </form>
    </div>
  );
}
