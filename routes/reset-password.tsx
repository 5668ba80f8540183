import type { ApiFailure } from '../web/api.ts';
import { fieldError, formError } from '../web/api.ts';
import { Alert, CsrfField, Field } from '../web/components/ui.tsx';
import type { Handlers, PageProps, RouteConfig } from '../web/route.ts';

type Data = { token: string; error?: ApiFailure };

export const config: RouteConfig = { public: true };

const title = 'Choose a new password';

export const handler: Handlers<Data> = {
  GET(ctx) {
    return ctx.render({ token: ctx.url.searchParams.get('token') ?? '' }, { title });
  },
  async POST(ctx) {
    const form = await ctx.form();
    const token = String(form.get('token') ?? '');
    const password = String(form.get('password') ?? '');
    if (password !== String(form.get('confirm') ?? '')) {
      const error: ApiFailure = {
        status: 400,
        code: 'validation_failed',
        message: 'The passwords differ',
        details: [{ path: 'confirm', message: 'Type the same password twice' }],
      };
      return ctx.render({ token, error }, { title, status: 400 });
    }
    const answer = await ctx.api('/api/v1/auth/password-reset/confirm', { method: 'POST', body: { token, password } });
    if (!answer.ok) return ctx.render({ token, error: answer.error }, { title, status: answer.status });
    return ctx.redirect('/login?reset=done');
  },
};

/** The page an emailed reset link opens; a spent or expired link says so and offers a new one. */
export default function ResetPassword({ data, csrf }: PageProps<Data>) {
  const { error } = data;
  const linkDead = error?.code === 'invalid_reset_token' || !data.token;
  return (
    <div class="mx-auto max-w-sm">
      <h1 class="mb-6 text-2xl font-semibold tracking-tight">{title}</h1>
      <form method="post" action="/reset-password" class="card space-y-4" noValidate>
        <CsrfField csrf={csrf} />
        <input type="hidden" name="token" value={data.token} />
        {linkDead && (
          <Alert>
            {error?.message ?? 'This page needs the link from your email.'}{' '}
            <a href="/forgot-password" class="font-medium underline">
              Ask for a new link
            </a>
          </Alert>
        )}
        {!linkDead && formError(error, ['password', 'confirm']) && (
          <Alert>{formError(error, ['password', 'confirm'])}</Alert>
        )}
        <Field
          name="password"
          label="New password"
          type="password"
          autocomplete="new-password"
          error={fieldError(error, 'password')}
          required
        />
        <Field
          name="confirm"
          label="The same again"
          type="password"
          autocomplete="new-password"
          error={fieldError(error, 'confirm')}
          required
        />
        <button type="submit" class="btn-primary w-full">
          Set the password
        </button>
      </form>
    </div>
  );
}
