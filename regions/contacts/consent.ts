/** The consent columns of a contact. */
export type ConsentState = {
  marketingEmailConsent: boolean;
  consentSource: string | null;
  consentGivenAt: Date | null;
};

/** What a request asks of consent; the contract has already checked that giving it names a source. */
export type ConsentRequest = { marketingEmailConsent?: boolean; consentSource?: string };

/** A change of consent, for the audit log: given or withdrawn, and how. */
export type ConsentChange = { given: boolean; source: string | null; at: Date };

export const noConsent: ConsentState = { marketingEmailConsent: false, consentSource: null, consentGivenAt: null };

/**
 * The consent state after a request, and the change to record, if any. Giving consent stamps it with the server's
 * clock and its source; withdrawing clears both. Asking for the state the contact is already in changes nothing
 * (re-sending consent does not move consentGivenAt, which keeps the date of the original agreement).
 */
export function applyConsent(
  current: ConsentState,
  request: ConsentRequest,
  now: Date,
): { state: ConsentState; change: ConsentChange | null } {
  const wanted = request.marketingEmailConsent;
  if (wanted === undefined || wanted === current.marketingEmailConsent) return { state: current, change: null };
  const source = request.consentSource ?? null;
  if (wanted) {
    if (!source) throw new Error('Consent needs a source');
    return {
      state: { marketingEmailConsent: true, consentSource: source, consentGivenAt: now },
      change: { given: true, source, at: now },
    };
  }
  return { state: noConsent, change: { given: false, source, at: now } };
}
