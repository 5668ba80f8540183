import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';

/** RFC 6238 as every authenticator app reads it: SHA-1, six digits, 30-second steps. */
export const TOTP_PERIOD_SECONDS = 30;
/** A code of the step before or after the current one is accepted too: clocks drift and people type slowly. */
export const TOTP_WINDOW_STEPS = 1;
const ISSUER = 'CRM';

export const timeStepAt = (epochSeconds: number) => Math.floor(epochSeconds / TOTP_PERIOD_SECONDS);
export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A new base32 secret of 20 random bytes (160 bits, RFC 4226's recommendation). */
export const newTotpSecret = (): string => generateSecret({ length: 20 });

/** What an authenticator app is given: the otpauth:// URI, and the same as a QR code (SVG markup). */
export async function provisioning(secret: string, account: string) {
  const otpauthUri = generateURI({ issuer: ISSUER, label: account, secret, period: TOTP_PERIOD_SECONDS });
  const qrCodeSvg = await QRCode.toString(otpauthUri, {
    type: 'svg',
    errorCorrectionLevel: 'M',
    margin: 2,
    width: 200,
  });
  return { otpauthUri, qrCodeSvg };
}

/**
 * The time step of `code` if it is right for `secret` within ±1 step of `epochSeconds` and later than
 * `afterTimeStep` (the last accepted one, so a code is never taken twice); null otherwise.
 */
export async function acceptedTimeStep(
  secret: string,
  code: string,
  options: { afterTimeStep: number | null; epochSeconds?: number },
): Promise<number | null> {
  const epoch = options.epochSeconds ?? nowSeconds();
  const newest = timeStepAt(epoch) + TOTP_WINDOW_STEPS;
  // otplib refuses (throws on) a lower bound beyond the window; then no code can be accepted anyway (clock set back).
  if (options.afterTimeStep !== null && options.afterTimeStep >= newest) return null;
  try {
    const result = await verify({
      secret,
      token: code,
      epoch,
      epochTolerance: TOTP_WINDOW_STEPS * TOTP_PERIOD_SECONDS,
      afterTimeStep: options.afterTimeStep ?? undefined,
    });
    return result.valid && 'timeStep' in result ? result.timeStep : null;
  } catch {
    // A malformed code (the API's schema already asks for six digits) is simply a wrong one.
    return null;
  }
}
