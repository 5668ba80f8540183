import { generate } from 'otplib';
import { describe, expect, it } from 'vitest';
import { hashRecoveryCode, newRecoveryCodes, normaliseRecoveryCode, RECOVERY_CODE_COUNT } from './recovery-codes.ts';
import { acceptedTimeStep, newTotpSecret, provisioning, timeStepAt } from './totp.ts';

// A moment in the middle of a 30-second step, so ±30 s lands squarely in the neighbouring steps.
const T = 1_796_500_005;
const step = timeStepAt(T);

describe('TOTP codes', () => {
  const secret = newTotpSecret();
  const codeAt = (epoch: number) => generate({ secret, epoch });

  it('accepts the code of the current step and of one step either side, and nothing further', async () => {
    expect(await acceptedTimeStep(secret, await codeAt(T), { afterTimeStep: null, epochSeconds: T })).toBe(step);
    expect(await acceptedTimeStep(secret, await codeAt(T - 30), { afterTimeStep: null, epochSeconds: T })).toBe(
      step - 1,
    );
    expect(await acceptedTimeStep(secret, await codeAt(T + 30), { afterTimeStep: null, epochSeconds: T })).toBe(
      step + 1,
    );
    expect(await acceptedTimeStep(secret, await codeAt(T - 60), { afterTimeStep: null, epochSeconds: T })).toBeNull();
    expect(await acceptedTimeStep(secret, await codeAt(T + 60), { afterTimeStep: null, epochSeconds: T })).toBeNull();
  });

  it('refuses a code whose step is not later than the last accepted one (replay)', async () => {
    const code = await codeAt(T);
    expect(await acceptedTimeStep(secret, code, { afterTimeStep: step, epochSeconds: T })).toBeNull();
    expect(await acceptedTimeStep(secret, await codeAt(T - 30), { afterTimeStep: step, epochSeconds: T })).toBeNull();
    // The next step's code is still good after this one was taken.
    expect(await acceptedTimeStep(secret, await codeAt(T + 30), { afterTimeStep: step, epochSeconds: T })).toBe(
      step + 1,
    );
    // A last step beyond the window (the clock was set back) refuses everything instead of throwing.
    expect(await acceptedTimeStep(secret, code, { afterTimeStep: step + 5, epochSeconds: T })).toBeNull();
  });

  it('refuses malformed codes and another secret’s codes', async () => {
    expect(await acceptedTimeStep(secret, 'abcdef', { afterTimeStep: null, epochSeconds: T })).toBeNull();
    expect(await acceptedTimeStep(secret, '12345', { afterTimeStep: null, epochSeconds: T })).toBeNull();
    const other = newTotpSecret();
    expect(await acceptedTimeStep(other, await codeAt(T), { afterTimeStep: null, epochSeconds: T })).toBeNull();
  });

  it('provisions an otpauth URI and its QR code as SVG', async () => {
    const { otpauthUri, qrCodeSvg } = await provisioning(secret, 'ada@example.com');
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/CRM:ada%40example\.com\?/);
    expect(new URL(otpauthUri).searchParams.get('secret')).toBe(secret);
    expect(new URL(otpauthUri).searchParams.get('issuer')).toBe('CRM');
    expect(qrCodeSvg).toMatch(/^<svg [^>]*viewBox="0 0 \d+ \d+"/);
    expect(qrCodeSvg).not.toContain('<script');
  });
});

describe('recovery codes', () => {
  it('are ten distinct 16-character codes of an unambiguous alphabet, in four groups', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    for (const code of codes) expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){3}$/);
  });

  it('read the same however they are typed, and refuse anything else', () => {
    expect(normaliseRecoveryCode('7K2M 9QFZ-D3HW-X84N')).toBe('7k2m9qfzd3hwx84n');
    // Crockford: O reads as 0, I and L as 1.
    expect(normaliseRecoveryCode('OIL0-0000-0000-0000')).toBe('0110000000000000');
    expect(normaliseRecoveryCode('7k2m-9qfz-d3hw')).toBeNull();
    expect(normaliseRecoveryCode('uuuu-uuuu-uuuu-uuuu')).toBeNull();
  });

  it('hash per user, so two users never share a stored value', async () => {
    const code = normaliseRecoveryCode(newRecoveryCodes()[0]!)!;
    const [a, b] = await Promise.all([hashRecoveryCode('user-a', code), hashRecoveryCode('user-b', code)]);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(code);
  });
});
