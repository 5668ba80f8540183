import { ApiError } from '../../openapi/errors.ts';

export const ssoNotConfigured = () =>
  new ApiError(404, 'sso_not_configured', "Single sign-on is not set up for this email's domain");

/** Also when the answer comes back without the starting browser's binding, or with another browser's. */
export const ssoStateInvalid = () =>
  new ApiError(
    400,
    'sso_state_invalid',
    'This sign-in is unknown, expired, already used or was started in another browser; start again',
  );

/** The identity provider's answer did not hold (signature, audience, nonce, PKCE, time…): never a session. */
export const ssoFailed = (reason: string) => new ApiError(401, 'sso_failed', `Single sign-on failed: ${reason}`);

export const ssoRefused = (code: string, message: string) => new ApiError(403, code, message);

export const ssoRequired = () =>
  new ApiError(
    403,
    'sso_required',
    "Your organization requires single sign-on for this email's domain; use “Sign in with SSO”",
  );
