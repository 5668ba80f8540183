import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { ApiError } from '../../openapi/errors.ts';

/** zxcvbn's score runs 0–4; 3 means "safely unguessable: moderate protection from offline slow-hash attacks". */
export const MIN_PASSWORD_SCORE = 3;

/** How much of a password zxcvbn rates. */
export const PASSWORD_RATED_LENGTH = 100;

/** Said when zxcvbn finds nothing specific to warn about, which happens for passwords that are merely short. */
const FALLBACK_FEEDBACK = 'Add another word or two. Uncommon words are better.';

let checker: Promise<ZxcvbnFactory> | undefined;

/**
 * The checker with its dictionaries (about 1.5 MB of word lists), built once on the first password set in this
 * process rather than at start: most processes that start never see one, and those that do reuse it.
 */
function loadChecker(): Promise<ZxcvbnFactory> {
  checker ??= (async () => {
    const [{ ZxcvbnFactory }, common, english] = await Promise.all([
      import('@zxcvbn-ts/core'),
      import('@zxcvbn-ts/language-common'),
      import('@zxcvbn-ts/language-en'),
    ]);
    return new ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...english.dictionary },
      graphs: common.adjacencyGraphs,
      translations: english.translations,
      // Rating costs time on every unauthenticated sign-up, invitation and reset, so it is bounded: the first
      // PASSWORD_RATED_LENGTH characters are rated (a longer password is judged by them), and the l33t matcher
      // tries at most 10 substitutions (at zxcvbn's default of 100, a 64-character string of symbols took a second).
      // Levenshtein matching stays off for the same reason (seconds per check over these dictionaries).
      maxLength: PASSWORD_RATED_LENGTH,
      l33tMaxSubstitutions: 10,
    });
  })();
  // A failed load (a missing package) must not be remembered: the next password tries again.
  checker.catch(() => {
    checker = undefined;
  });
  return checker;
}

/**
 * What the person setting the password is known by (their email, names, their organization's name): each whole,
 * an email's local part, and every word of three letters or more. A password built from these is easy for anyone
 * who knows them to guess, so zxcvbn treats them as the first words it tries.
 */
export function passwordUserInputs(...facts: (string | null | undefined)[]): string[] {
  const inputs = new Set<string>();
  for (const fact of facts) {
    const text = fact?.trim().toLowerCase();
    if (!text) continue;
    inputs.add(text);
    if (text.includes('@')) inputs.add(text.slice(0, text.lastIndexOf('@')));
    for (const word of text.split(/[^\p{L}\p{N}]+/u)) if (word.length >= 3) inputs.add(word);
  }
  return [...inputs];
}

export type PasswordVerdict = { score: number; feedback: string };

/** zxcvbn's score and feedback (its warning, then its suggestions, as one sentence or two). */
export async function ratePassword(password: string, userInputs: readonly string[] = []): Promise<PasswordVerdict> {
  const zxcvbn = await loadChecker();
  const result = zxcvbn.check(password, [...userInputs]);
  const parts = [result.feedback.warning, ...result.feedback.suggestions].filter((part): part is string =>
    Boolean(part?.trim()),
  );
  return { score: result.score, feedback: parts.length ? parts.join(' ') : FALLBACK_FEEDBACK };
}

/**
 * Refuses a password zxcvbn scores below {@link MIN_PASSWORD_SCORE} (with the user's own names counted against
 * it) with 400 `weak_password`, its feedback as the `password` field's message, which the web forms show beside it.
 */
export async function assertStrongPassword(password: string, userInputs: readonly string[]): Promise<void> {
  const verdict = await ratePassword(password, userInputs);
  if (verdict.score >= MIN_PASSWORD_SCORE) return;
  throw new ApiError(400, 'weak_password', 'Choose a password that is harder to guess', [
    { path: 'password', message: verdict.feedback },
  ]);
}
