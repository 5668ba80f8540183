/**
 * Remembers the nonces of streamed requests (streamed-signature.ts) until their timestamps go stale, so each is
 * accepted once: after expiry the signature check refuses the request anyway, so forgetting it then is safe.
 *
 * It lives in the region's process memory. A region is one process (README: "regions (Node, one process each)");
 * were a region ever run as several processes behind one address, a replay could reach another process within the
 * skew window, and this would have to become a shared table. It is bounded: when full of unexpired nonces it
 * refuses new ones (fails closed) rather than forget one early.
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();
  private accepted = 0;

  constructor(private readonly capacity = 100_000) {}

  /** True the first time a nonce is offered before it expires; false for a replay (or when full). */
  accept(nonce: string, expiresAt: number, now = Date.now()): boolean {
    if (expiresAt <= now) return false;
    const known = this.seen.get(nonce);
    if (known !== undefined && known > now) return false;
    // Every so often, not only when full, so the map stays about as large as the nonces still fresh.
    if (++this.accepted % 1_000 === 0 || this.seen.size >= this.capacity) this.sweep(now);
    if (this.seen.size >= this.capacity) return false;
    this.seen.set(nonce, expiresAt);
    return true;
  }

  get size() {
    return this.seen.size;
  }

  /** Drops expired nonces. Entries go in roughly by time, so the oldest are met first and the sweep stops early. */
  private sweep(now: number) {
    for (const [nonce, expiresAt] of this.seen) {
      if (expiresAt <= now) this.seen.delete(nonce);
      else if (expiresAt > now + 5_000) break;
    }
  }
}
