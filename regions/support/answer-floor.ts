/**
 * Resolves with `work`'s result, but no sooner than `ms` after it was called: an answer whose work differs by case
 * (an email sent for a registered address, none for an unknown one) then takes the same time in every case.
 */
export async function noSoonerThan<T>(ms: number, work: Promise<T>): Promise<T> {
  const [result] = await Promise.all([work, new Promise((done) => setTimeout(done, ms))]);
  return result;
}
