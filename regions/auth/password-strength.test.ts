import { describe, expect, it } from 'vitest';
import { ApiError } from '../../openapi/errors.ts';
import { assertStrongPassword, MIN_PASSWORD_SCORE, passwordUserInputs, ratePassword } from './password-strength.ts';

describe('password strength', () => {
  it('refuses common and patterned passwords with zxcvbn feedback on the password field', async () => {
    for (const weak of ['password1234', 'qwertyuiop12', 'iloveyou2024', 'aaaaaaaaaaaa', 'abcd1234abcd']) {
      const error = await assertStrongPassword(weak, []).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, weak).toBeInstanceOf(ApiError);
      const refused = error as ApiError;
      expect(refused.status).toBe(400);
      expect(refused.code).toBe('weak_password');
      expect(refused.details).toHaveLength(1);
      expect(refused.details![0]!.path).toBe('password');
      expect(refused.details![0]!.message.length).toBeGreaterThan(10);
    }
    const verdict = await ratePassword('password1234');
    expect(verdict.score).toBeLessThan(MIN_PASSWORD_SCORE);
    // zxcvbn's own words, in English.
    expect(verdict.feedback).toMatch(/common|guess|word/i);
  });

  it('accepts passphrases and random passwords', async () => {
    for (const strong of ['Tangerine-Orbit-Vellum-42', 'u8#Lq2!vR9zW', 'A-brand-new-Passphrase-42']) {
      await expect(assertStrongPassword(strong, []), strong).resolves.toBeUndefined();
    }
  });

  it("counts the user's email, name and organization against the password", async () => {
    const password = 'Quillfeather1984';
    expect((await ratePassword(password)).score).toBeGreaterThanOrEqual(MIN_PASSWORD_SCORE);
    const inputs = passwordUserInputs('j.quillfeather@brightwater.example', 'Jo Quillfeather', 'Brightwater Ltd');
    expect(inputs).toEqual(
      expect.arrayContaining(['j.quillfeather@brightwater.example', 'j.quillfeather', 'quillfeather', 'brightwater']),
    );
    const verdict = await ratePassword(password, inputs);
    expect(verdict.score).toBeLessThan(MIN_PASSWORD_SCORE);
    expect(verdict.feedback).toMatch(/personal/i);
    await expect(assertStrongPassword('Brightwater2024', inputs)).rejects.toMatchObject({ code: 'weak_password' });
  });

  it('keeps the passwords the suites and the README use acceptable', async () => {
    const stamp = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const id = `signup-${stamp}-1`;
    const cases: [string, string[]][] = [
      ['Corr3ct-Horse-Battery!', passwordUserInputs('ada@example.com', 'Analytical Engines')],
      [`Corr3ct-Horse-${id}!`, passwordUserInputs(`${id}@example.com`, `Org ${id}`)],
      [`Corr3ct-Horse-pw-${stamp}-2!`, passwordUserInputs(`member-${stamp}-1@example.com`)],
      ['An0ther-Long-Passphrase', []],
      ['New-Passphrase-5678', []],
      ['Old-Passphrase-1234', []],
    ];
    for (const [password, inputs] of cases) {
      expect((await ratePassword(password, inputs)).score, password).toBeGreaterThanOrEqual(MIN_PASSWORD_SCORE);
    }
  });

  it('loads the dictionaries once and rates even the longest password quickly', async () => {
    await ratePassword('warm-up');
    const started = performance.now();
    const symbols = Array.from({ length: 256 }, (_, i) => String.fromCharCode(33 + ((i * 7919) % 90))).join('');
    for (const long of [symbols, 'x7Q!'.repeat(64), 'aB3$'.repeat(64), 'correcthorsebatterystaple'.repeat(10)]) {
      await ratePassword(long, ['someone@example.com', 'someone']);
    }
    // Bounded by PASSWORD_RATED_LENGTH and the l33t limit: a few hundred ms on a loaded two-core machine.
    expect(performance.now() - started).toBeLessThan(4000);
  });
});
