import { expect } from 'vitest';
import type { Reply } from './api.ts';

/**
 * Asserts the status and that the body is the one error envelope every layer answers with, so a refusal can
 * never be confused with an empty success or a proxy's HTML page.
 */
export function expectError(reply: Reply, status: number, code?: string | readonly string[], label = ''): void {
  const context = `${label}${label ? ': ' : ''}${status} expected, got ${reply.status} ${JSON.stringify(reply.data)}`;
  expect(reply.status, context).toBe(status);
  expect(reply.data, context).toMatchObject({
    error: { code: expect.any(String), message: expect.any(String), requestId: expect.any(String) },
  });
  expect(reply.data.error.requestId.length, context).toBeGreaterThan(0);
  if (typeof code === 'string') expect(reply.data.error.code, context).toBe(code);
  else if (code) expect(code, context).toContain(reply.data.error.code);
}
