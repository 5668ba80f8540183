import { describe, expect, it } from 'vitest';
import { emailJobOptions } from './queue.ts';

describe('emailJobOptions', () => {
  it('puts an email someone waits for before the notifications, and those before a campaign', () => {
    const priority = (kind: 'transactional' | 'notification' | 'bulk') => emailJobOptions(kind).priority ?? 0;
    expect(priority('transactional')).toBeGreaterThan(priority('notification'));
    expect(priority('notification')).toBeGreaterThan(priority('bulk'));
  });
});
