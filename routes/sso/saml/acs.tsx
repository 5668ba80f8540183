import type { ApiFailure } from '../../../web/api.ts';
import { type MfaStep, MfaStepForm } from '../../../web/components/mfa-step.tsx';
import { SsoFailed } from '../../../web/components/sso-outcome.tsx';
import type { Handlers, PageProps, RouteConfig } from '../../../web/route.ts';
import { finishSsoSignIn } from '../../../web/sso-sign-in.ts';

type Data = { error?: ApiFailure; mfa?: MfaStep };

/**
 * The SAML assertion consumer service: the IdP's page posts `SAMLResponse` and `RelayState` here from its own
 * origin, so the post cannot carry our CSRF token (`crossSitePost`); it is vouched for by the signed assertion
 * and the single-use RelayState instead, which the API checks.
 */
export const config: RouteConfig = { public: true, crossSitePost: true };

export const handler: Handlers<Data> = {
  GET: (ctx) => ctx.redirect('/sso'),
  async POST(ctx) {
    const form = await ctx.form();
    const outcome = await finishSsoSignIn(ctx.api, '/api/v1/auth/sso/saml/acs', {
      samlResponse: String(form.get('SAMLResponse') ?? ''),
      relayState: String(form.get('RelayState') ?? ''),
    });
    if (outcome.kind === 'failed') {
      return ctx.render({ error: outcome.error }, { title: 'Single sign-on', status: outcome.status });
    }
    if (outcome.kind === 'mfa') return ctx.render({ mfa: outcome.step }, { title: 'Two-step sign-in' });
    ctx.signIn(outcome.tokens);
    return ctx.redirect('/');
  },
};

export default function SamlAcs({ data, csrf }: PageProps<Data>) {
  if (data.mfa) return <MfaStepForm step={data.mfa} next="/" csrf={csrf} />;
  return data.error ? <SsoFailed error={data.error} /> : null;
}
