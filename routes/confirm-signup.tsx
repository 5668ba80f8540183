import type { ApiFailure } from '../web/api.ts';
import { Alert, CsrfField } from '../web/components/ui.tsx';
import type { Handlers, PageProps, RouteConfig } from '../web/route.ts';

type Data = { token: string; error?: ApiFailure };
type Tokens = { accessToken: string; refreshToken: string; expiresIn: number };

export const config: RouteConfig = { public: true };

const title = 'Finish signing up';

export const handler: Handlers<Data> = {
  // Opening the link only shows the button: mail scanners fetch links too, and must not spend the token.
  GET(ctx) {
    if (ctx.me) return ctx.redirect('/');
    return ctx.render({ token: ctx.url.searchParams.get('token') ?? '' }, { title });
  },
  async POST(ctx) {
    const form = await ctx.form();
    const token = String(form.get('token') ?? '');
    const answer = await ctx.api<Tokens>('/api/v1/auth/signup/confirm', { method: 'POST', body: { token } });
    if (!answer.ok) return ctx.render({ token, error: answer.error }, { title, status: answer.status });
    ctx.signIn(answer.data);
    return ctx.redirect('/');
  },
};

/** The page an emailed sign-up link opens; a spent or expired link says so and offers to sign up again. */
export default function ConfirmSignup({ data, csrf }: PageProps<Data>) {
  const { error } = data;
  const linkDead = error?.code === 'invalid_signup_token' || !data.token;
  return (
    <div class="mx-auto max-w-sm">
      <h1 class="mb-6 text-2xl font-semibold tracking-tight">{title}</h1>
      <form method="post" action="/confirm-signup" class="card space-y-4" noValidate>
        <CsrfField csrf={csrf} />
        <input type="hidden" name="token" value={data.token} />
        {linkDead ? (
          <Alert>
            {error?.message ?? 'This page needs the link from your email.'}{' '}
            <a href="/signup" class="font-medium underline">
              Sign up again
            </a>
          </Alert>
        ) : (
          <>
            {error && <Alert>{error.message}</Alert>}
            <p class="text-sm text-slate-600">Your email is confirmed once you create the organization.</p>
            <button type="submit" class="btn-primary w-full">
              Create the organization
            </button>
          </>
        )}
      </form>
    </div>
  );
}
