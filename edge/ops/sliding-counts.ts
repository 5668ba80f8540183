/**
 * Counts over a sliding time window, kept in a fixed ring of slots: adding is O(1), summing O(slots), memory fixed
 * however busy the process is. The window is approximate by one slot (a sum covers between `window - slot` and
 * `window`). Web standards only, so the edge (workerd, Deno) and the Node regions share it.
 */
export class SlidingCounts<K extends string> {
  private readonly slotMs: number;
  private readonly slots: { index: number; counts: Map<K, number> }[];

  constructor(
    windowMs: number,
    private readonly slotCount: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(windowMs > 0) || !Number.isInteger(slotCount) || slotCount < 1) throw new Error('bad sliding window');
    this.slotMs = windowMs / slotCount;
    this.slots = Array.from({ length: slotCount }, () => ({ index: -1, counts: new Map<K, number>() }));
  }

  add(key: K, amount = 1): void {
    const index = Math.floor(this.now() / this.slotMs);
    const slot = this.slots[index % this.slotCount]!;
    if (slot.index !== index) {
      slot.index = index;
      slot.counts.clear();
    }
    slot.counts.set(key, (slot.counts.get(key) ?? 0) + amount);
  }

  /** The key's total over the slots still inside the window. */
  sum(key: K): number {
    const current = Math.floor(this.now() / this.slotMs);
    let total = 0;
    for (const slot of this.slots) {
      if (slot.index > current - this.slotCount && slot.index <= current) total += slot.counts.get(key) ?? 0;
    }
    return total;
  }
}
