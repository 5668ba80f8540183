import type { ApiFailure } from '../web/api.ts';
import { fieldError, formError } from '../web/api.ts';
import { Alert, CsrfField, Field } from '../web/components/ui.tsx';
import type { Handlers, PageProps, RouteConfig } from '../web/route.ts';

type Values = { organization?: string; name?: string; email?: string; region?: string };
/** `sent`: the region confirms sign-ups by email (202) and the link is on its way; the form is done. */
type Data = { values: Values; regions: string[]; error?: ApiFailure; sent?: string };
type Tokens = { accessToken: string; refreshToken: string; expiresIn: number };
type Sent = { status: 'confirmation_sent'; message: string };

export const config: RouteConfig = { public: true };
const fields = ['organization', 'name', 'email', 'password', 'region'];

export const handler: Handlers<Data> = {
  GET(ctx) {
    if (ctx.me) return ctx.redirect('/');
    return ctx.render({ values: {}, regions: ctx.regions }, { title: 'Create an organization' });
  },
  async POST(ctx) {
    const form = await ctx.form();
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const values: Values = {
      organization: text('organization'),
      name: text('name'),
      email: text('email'),
      region: text('region'),
    };
    const answer = await ctx.api<Tokens | Sent>('/api/v1/auth/signup', {
      method: 'POST',
      body: {
        organization: values.organization,
        email: values.email,
        password: String(form.get('password') ?? ''),
        ...(values.name ? { name: values.name } : {}),
        ...(values.region ? { region: values.region } : {}),
      },
    });
    if (!answer.ok) {
      const data = { values, regions: ctx.regions, error: answer.error };
      return ctx.render(data, { title: 'Create an organization', status: answer.status });
    }
    if (answer.status === 202 && 'message' in answer.data) {
      return ctx.render({ values, regions: ctx.regions, sent: answer.data.message }, { title: 'Check your inbox' });
    }
    ctx.signIn(answer.data as Tokens);
    return ctx.redirect('/');
  },
};

/** After a sign-up the region confirms by email: the same words whether or not the address has an account. */
function CheckInbox({ message, email }: { message: string; email?: string | undefined }) {
  return (
    <div class="mx-auto max-w-md">
      <h1 class="mb-6 text-2xl font-semibold tracking-tight">Check your inbox</h1>
      <div class="card space-y-4">
        <p role="status">{message}</p>
        <p class="text-sm text-slate-600">
          {email ? `We wrote to ${email}. ` : ''}Open the link in the email to create your organization; it works once,
          for 24 hours. Check your spam folder too.
        </p>
        <a href="/login" class="btn-secondary inline-block">
          Back to sign in
        </a>
      </div>
    </div>
  );
}

export default function Signup({ data, csrf }: PageProps<Data>) {
  const { error, values } = data;
  if (data.sent) return <CheckInbox message={data.sent} email={values.email} />;
  return (
    <div class="mx-auto max-w-md">
      <h1 class="mb-6 text-2xl font-semibold tracking-tight">Create an organization</h1>
      <form method="post" action="/signup" class="card space-y-4" noValidate>
        <CsrfField csrf={csrf} />
        {formError(error, fields) && <Alert>{formError(error, fields)}</Alert>}
        <Field
          name="organization"
          label="Organization"
          value={values.organization}
          error={fieldError(error, 'organization')}
          required
        />
        <Field
          name="name"
          label="Your name"
          autocomplete="name"
          value={values.name}
          error={fieldError(error, 'name')}
        />
        <Field
          name="email"
          label="Work email"
          type="email"
          autocomplete="username"
          value={values.email}
          error={fieldError(error, 'email')}
          required
        />
        <Field
          name="password"
          label="Password"
          type="password"
          autocomplete="new-password"
          hint="At least 10 characters and hard to guess: a few uncommon words work well"
          error={fieldError(error, 'password')}
          required
        />
        <div class="field">
          <label for="f-region" class="label">
            Where your data lives
          </label>
          <select
            id="f-region"
            name="region"
            class="input"
            aria-invalid={fieldError(error, 'region') ? 'true' : undefined}
          >
            {data.regions.map((region) => (
              <option key={region} value={region} selected={values.region === region}>
                {region.toUpperCase()}
              </option>
            ))}
          </select>
          {fieldError(error, 'region') && <p class="field-error">{fieldError(error, 'region')}</p>}
        </div>
        <button type="submit" class="btn-primary w-full">
          Create organization
        </button>
      </form>
      <p class="mt-4 text-center text-sm">
        Already have an account?{' '}
        <a href="/login" class="font-medium text-indigo-700 underline">
          Sign in
        </a>
      </p>
    </div>
  );
}
