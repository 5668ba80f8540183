import type { ApiFailure } from '../web/api.ts';
import { fieldError, formError } from '../web/api.ts';
import { type MfaStep, MfaStepForm } from '../web/components/mfa-step.tsx';
import { Alert, CsrfField, Field } from '../web/components/ui.tsx';
import { continueMfaSignIn, isChallenge, type LoginAnswer } from '../web/mfa-sign-in.ts';
import { safeNext } from '../web/next.ts';
import type { Handlers, PageProps, RouteConfig } from '../web/route.ts';

/** `mfa`: the password was right and the second step (a code) is asked for. */
type Data = { email?: string; error?: ApiFailure; next: string; notice?: string; mfa?: MfaStep };

export const config: RouteConfig = { public: true };

export const handler: Handlers<Data> = {
  GET(ctx) {
    const next = safeNext(ctx.url.searchParams.get('next'));
    if (ctx.me) return ctx.redirect(next);
    const notice =
      ctx.url.searchParams.get('reset') === 'done'
        ? 'Your password is changed and every session has ended; sign in with the new one.'
        : undefined;
    return ctx.render({ next, notice }, { title: 'Sign in' });
  },
  async POST(ctx) {
    const form = await ctx.form();
    const email = String(form.get('email') ?? '');
    const next = safeNext(String(form.get('next') ?? ''));
    if (form.has('mfaToken')) {
      const outcome = await continueMfaSignIn(ctx.api, form);
      if (outcome.kind === 'step') {
        return ctx.render({ next, mfa: outcome.step }, { title: 'Two-step sign-in', status: outcome.status });
      }
      if (outcome.kind === 'expired') {
        return ctx.render({ next, error: outcome.error }, { title: 'Sign in', status: outcome.status });
      }
      ctx.signIn(outcome.tokens);
      return ctx.redirect(next);
    }
    const answer = await ctx.api<LoginAnswer>('/api/v1/auth/login', {
      method: 'POST',
      body: { email, password: String(form.get('password') ?? '') },
    });
    // The email's domain takes no passwords: its organization requires single sign-on.
    if (!answer.ok && answer.error.code === 'sso_required')
      return ctx.redirect(`/sso?email=${encodeURIComponent(email)}`);
    if (!answer.ok)
      return ctx.render({ email, next, error: answer.error }, { title: 'Sign in', status: answer.status });
    if (isChallenge(answer.data)) {
      const mfa: MfaStep = { token: answer.data.mfaToken, method: 'code' };
      return ctx.render({ next, mfa }, { title: 'Two-step sign-in' });
    }
    ctx.signIn(answer.data);
    return ctx.redirect(next);
  },
};

export default function Login({ data, csrf }: PageProps<Data>) {
  if (data.mfa) return <MfaStepForm step={data.mfa} next={data.next} csrf={csrf} />;
  const { error } = data;
  return (
    <div class="mx-auto max-w-sm">
      <h1 class="mb-6 text-2xl font-semibold tracking-tight">Sign in</h1>
      <form method="post" action="/login" class="card space-y-4" noValidate>
        <CsrfField csrf={csrf} />
        <input type="hidden" name="next" value={data.next} />
        {data.notice && (
          <p role="status" class="rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
            {data.notice}
          </p>
        )}
        {formError(error, ['email', 'password']) && <Alert>{formError(error, ['email', 'password'])}</Alert>}
        <Field
          name="email"
          label="Email"
          type="email"
          autocomplete="username"
          value={data.email}
          error={fieldError(error, 'email')}
          required
        />
        <Field
          name="password"
          label="Password"
          type="password"
          autocomplete="current-password"
          error={fieldError(error, 'password')}
          required
        />
        <button type="submit" class="btn-primary w-full">
          Sign in
        </button>
        <p class="text-center text-sm">
          <a href="/forgot-password" class="font-medium text-indigo-700 underline">
            Forgotten your password?
          </a>
        </p>
      </form>
      <a href="/sso" class="btn-secondary mt-4 block w-full text-center">
        Sign in with SSO
      </a>
      <p class="mt-4 text-center text-sm">
        New here?{' '}
        <a href="/signup" class="font-medium text-indigo-700 underline">
          Create an organization
        </a>
      </p>
    </div>
  );
}
