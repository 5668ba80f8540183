import { describe, expect, it } from 'vitest';
import { type Bucket, takeTurn } from './throttle.ts';

const limits = { ratePerMinute: 60, burst: 3 };
const at = (ms: number) => new Date(1_800_000_000_000 + ms);

function turns(count: number, mode: 'reserve' | 'now', start: Bucket | null = null, when = 0) {
  let bucket = start;
  const waits: number[] = [];
  for (let i = 0; i < count; i++) {
    const turn = takeTurn(bucket, at(when), limits, mode);
    waits.push(turn.waitMs);
    bucket = turn.bucket;
  }
  return { waits, bucket: bucket! };
}

describe('the per-organization email throttle (a token bucket that may go into debt)', () => {
  it('lets a burst go at once and gives each later campaign email its own slot, spaced at the rate', () => {
    expect(turns(6, 'reserve').waits).toEqual([0, 0, 0, 1000, 2000, 3000]);
  });

  it('never fills beyond the burst, however long it was quiet', () => {
    const quiet = takeTurn({ tokens: 0, refilledAt: at(0) }, at(3_600_000), limits, 'reserve');
    expect(quiet).toEqual({ bucket: { tokens: 2, refilledAt: at(3_600_000) }, waitMs: 0 });
  });

  it('sends a notification during a campaign at once, moving the campaign back one slot', () => {
    const campaign = turns(5, 'reserve');
    const notice = takeTurn(campaign.bucket, at(0), limits, 'now');
    expect(notice.waitMs).toBe(0);
    expect(takeTurn(notice.bucket, at(0), limits, 'reserve').waitMs).toBe(4000);
  });

  it('pays the debt back over time: slots reserved earlier come due as the bucket refills', () => {
    const { bucket } = turns(5, 'reserve');
    expect(takeTurn(bucket, at(2000), limits, 'reserve').waitMs).toBe(1000);
    expect(takeTurn(bucket, at(10_000), limits, 'reserve').waitMs).toBe(0);
  });
});
