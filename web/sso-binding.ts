import type { RouteContext } from './route.ts';

/**
 * The SSO sign-in's browser binding (regions/sso/state.ts): the random value the start answers, kept in an httpOnly
 * cookie of the browser that goes to the identity provider and sent with the provider's answer, so an answer handed
 * to another browser (login CSRF) is refused. Scoped to the SSO pages (`Path=/sso`, hence `__Secure-` and not
 * `__Host-` over https) and cleared as soon as the answer has used it.
 *
 * SameSite=Lax, as the session's: the OpenID provider sends the browser back with a top-level GET, which carries it.
 * A SAML IdP posts to the ACS from its own origin, and a browser sends no Lax cookie with another site's POST, so a
 * SAML sign-in's cookie is SameSite=None over https; plain http (development) cannot have that and keeps Lax.
 */
export const SSO_BINDING_PATH = '/sso';

type Cookies = Pick<RouteContext, 'secure' | 'cookie' | 'setCookie'>;

const nameOf = (secure: boolean) => (secure ? '__Secure-crm_sso' : 'crm_sso');

export function keepSsoBinding(ctx: Cookies, binding: string, protocol: 'oidc' | 'saml', seconds: number) {
  ctx.setCookie(nameOf(ctx.secure), binding, {
    path: SSO_BINDING_PATH,
    httpOnly: true,
    secure: ctx.secure,
    sameSite: protocol === 'saml' && ctx.secure ? 'None' : 'Lax',
    maxAge: seconds,
  });
}

/** The binding this browser holds, if any; the cookie is cleared on the answer whatever the sign-in's outcome. */
export function takeSsoBinding(ctx: Cookies): string | undefined {
  const name = nameOf(ctx.secure);
  const binding = ctx.cookie(name);
  if (binding !== undefined) {
    ctx.setCookie(name, '', { path: SSO_BINDING_PATH, httpOnly: true, secure: ctx.secure, maxAge: 0 });
  }
  return binding || undefined;
}
