import type { ApiFailure } from '../../../web/api.ts';
import { type MfaStep, MfaStepForm } from '../../../web/components/mfa-step.tsx';
import { SsoFailed } from '../../../web/components/sso-outcome.tsx';
import type { Handlers, PageProps, RouteConfig } from '../../../web/route.ts';
import { takeSsoBinding } from '../../../web/sso-binding.ts';
import { finishSsoSignIn } from '../../../web/sso-sign-in.ts';

type Repost = { samlResponse: string; relayState: string };
type Data = { error?: ApiFailure; mfa?: MfaStep; repost?: Repost };

/** Marks the second post, from our own page: without the cookie then too, the browser has none to send. */
const REPOSTED = 'reposted';

/**
 * The SAML assertion consumer service: the IdP's page posts `SAMLResponse` and `RelayState` here from its own
 * origin, so the post cannot carry our CSRF token (`crossSitePost`); it is vouched for by the signed assertion
 * and the single-use RelayState, good only with the binding cookie of the browser that started (web/sso-binding.ts),
 * which the API checks.
 *
 * A browser sends a SameSite=Lax cookie with a POST from another site only if it never does, so when the binding
 * cookie is Lax (plain http, development) or was held back, the answer arrives without it. Then the page posts the
 * same answer once more from our own origin (one button, no script), which carries the cookie.
 */
export const config: RouteConfig = { public: true, crossSitePost: true };

export const handler: Handlers<Data> = {
  GET: (ctx) => ctx.redirect('/sso'),
  async POST(ctx) {
    const form = await ctx.form();
    const samlResponse = String(form.get('SAMLResponse') ?? '');
    const relayState = String(form.get('RelayState') ?? '');
    const browserBinding = takeSsoBinding(ctx);
    if (!browserBinding && form.get(REPOSTED) !== '1' && samlResponse && relayState) {
      return ctx.render({ repost: { samlResponse, relayState } }, { title: 'Single sign-on' });
    }
    const outcome = await finishSsoSignIn(ctx.api, '/api/v1/auth/sso/saml/acs', {
      samlResponse,
      relayState,
      ...(browserBinding ? { browserBinding } : {}),
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
  if (data.repost) return <ContinueSignIn {...data.repost} />;
  return data.error ? <SsoFailed error={data.error} /> : null;
}

function ContinueSignIn({ samlResponse, relayState }: Repost) {
  return (
    <form method="post" action="/sso/saml/acs" class="mx-auto mt-16 max-w-sm space-y-4 text-center">
      <h1 class="text-xl font-semibold">Single sign-on</h1>
      <p>Your identity provider has signed you in.</p>
      <input type="hidden" name="SAMLResponse" value={samlResponse} />
      <input type="hidden" name="RelayState" value={relayState} />
      <input type="hidden" name={REPOSTED} value="1" />
      <button type="submit" class="btn-primary">
        Continue
      </button>
    </form>
  );
}
