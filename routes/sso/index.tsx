import type { ApiFailure } from '../../web/api.ts';
import { EmailForm } from '../../web/components/email-form.tsx';
import type { Handlers, PageProps, RouteConfig } from '../../web/route.ts';
import { keepSsoBinding } from '../../web/sso-binding.ts';

/** `redirectUrl`: the identity provider's sign-in, which the page sends the browser on to. */
type Data = { email?: string; error?: ApiFailure; redirectUrl?: string };
type Started = { redirectUrl: string; protocol: 'oidc' | 'saml'; browserBinding: string; expiresIn: number };

export const config: RouteConfig = { public: true };

export const handler: Handlers<Data> = {
  GET(ctx) {
    if (ctx.me) return ctx.redirect('/');
    return ctx.render({ email: ctx.url.searchParams.get('email') ?? undefined }, { title: 'Sign in with SSO' });
  },
  async POST(ctx) {
    const form = await ctx.form();
    const email = String(form.get('email') ?? '').trim();
    const answer = await ctx.api<Started>('/api/v1/auth/sso/start', {
      method: 'POST',
      body: { email },
    });
    if (!answer.ok)
      return ctx.render({ email, error: answer.error }, { title: 'Sign in with SSO', status: answer.status });
    // This browser alone may finish the sign-in: the provider's answer is refused without the cookie.
    keepSsoBinding(ctx, answer.data.browserBinding, answer.data.protocol, answer.data.expiresIn);
    // Rendered, not a redirect: the CSP's form-action 'self' would stop a form's redirect to another origin.
    return ctx.render({ email, redirectUrl: answer.data.redirectUrl }, { title: 'Continue to sign in' });
  },
};

export default function SsoPage({ data, csrf }: PageProps<Data>) {
  if (data.redirectUrl) {
    return (
      <div class="mx-auto max-w-sm space-y-4">
        <meta http-equiv="refresh" content={`0;url=${data.redirectUrl}`} />
        <h1 class="text-2xl font-semibold tracking-tight">Continue to sign in</h1>
        <p class="text-sm">Your organization signs you in with its identity provider.</p>
        <a href={data.redirectUrl} class="btn-primary block w-full text-center">
          Continue
        </a>
      </div>
    );
  }
  return (
    <div class="mx-auto max-w-sm">
      <h1 class="mb-6 text-2xl font-semibold tracking-tight">Sign in with SSO</h1>
      <EmailForm action="/sso" csrf={csrf} email={data.email} error={data.error} submit="Continue" />
      <p class="mt-4 text-center text-sm">
        <a href="/login" class="font-medium text-indigo-700 underline">
          Sign in with a password instead
        </a>
      </p>
    </div>
  );
}
