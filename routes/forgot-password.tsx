import type { ApiFailure } from '../web/api.ts';
import { EmailForm } from '../web/components/email-form.tsx';
import type { Handlers, PageProps, RouteConfig } from '../web/route.ts';

type Data = { email?: string; sent?: string; error?: ApiFailure };

export const config: RouteConfig = { public: true };

const title = 'Forgotten password';

export const handler: Handlers<Data> = {
  GET(ctx) {
    return ctx.render({}, { title });
  },
  async POST(ctx) {
    const form = await ctx.form();
    const email = String(form.get('email') ?? '').trim();
    const answer = await ctx.api<{ message: string }>('/api/v1/auth/password-reset', {
      method: 'POST',
      body: { email },
    });
    if (!answer.ok) return ctx.render({ email, error: answer.error }, { title, status: answer.status });
    return ctx.render({ email, sent: answer.data.message }, { title });
  },
};

/** Asks for a reset link; the answer reads the same whether or not the address has an account. */
export default function ForgotPassword({ data, csrf }: PageProps<Data>) {
  return (
    <div class="mx-auto max-w-sm">
      <h1 class="mb-6 text-2xl font-semibold tracking-tight">{title}</h1>
      {data.sent ? (
        <div class="card space-y-4">
          <p role="status">{data.sent}</p>
          <p class="text-sm text-slate-600">The link works once, for 30 minutes. Check your spam folder too.</p>
          <a href="/login" class="btn-secondary inline-block">
            Back to sign in
          </a>
        </div>
      ) : (
        <EmailForm action="/forgot-password" csrf={csrf} email={data.email} error={data.error} submit="Send the link">
          <p class="text-sm text-slate-600">Enter your work email; we will send you a link to choose a new password.</p>
        </EmailForm>
      )}
      <p class="mt-4 text-center text-sm">
        <a href="/login" class="font-medium text-indigo-700 underline">
          Sign in
        </a>
      </p>
    </div>
  );
}
