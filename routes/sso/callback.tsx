import type { ApiFailure } from '../../web/api.ts';
import { type MfaStep, MfaStepForm } from '../../web/components/mfa-step.tsx';
import { SsoFailed } from '../../web/components/sso-outcome.tsx';
import type { Handlers, PageProps, RouteConfig } from '../../web/route.ts';
import { takeSsoBinding } from '../../web/sso-binding.ts';
import { finishSsoSignIn } from '../../web/sso-sign-in.ts';

type Data = { error?: ApiFailure; mfa?: MfaStep };

export const config: RouteConfig = { public: true };

/**
 * Where an OpenID provider sends the browser back (the connection's redirect URI): code and state to the API, with
 * the binding cookie of the browser that started (web/sso-binding.ts).
 */
export const handler: Handlers<Data> = {
  async GET(ctx) {
    const query = ctx.url.searchParams;
    const body: Record<string, string> = { state: query.get('state') ?? '' };
    const browserBinding = takeSsoBinding(ctx);
    if (browserBinding) body.browserBinding = browserBinding;
    for (const [name, field] of [
      ['code', 'code'],
      ['iss', 'iss'],
      ['error', 'error'],
      ['error_description', 'errorDescription'],
    ] as const) {
      const value = query.get(name);
      if (value) body[field] = value;
    }
    const outcome = await finishSsoSignIn(ctx.api, '/api/v1/auth/sso/oidc/callback', body);
    if (outcome.kind === 'failed') {
      return ctx.render({ error: outcome.error }, { title: 'Single sign-on', status: outcome.status });
    }
    if (outcome.kind === 'mfa') return ctx.render({ mfa: outcome.step }, { title: 'Two-step sign-in' });
    ctx.signIn(outcome.tokens);
    return ctx.redirect('/');
  },
};

export default function SsoCallback({ data, csrf }: PageProps<Data>) {
  if (data.mfa) return <MfaStepForm step={data.mfa} next="/" csrf={csrf} />;
  return data.error ? <SsoFailed error={data.error} /> : null;
}
