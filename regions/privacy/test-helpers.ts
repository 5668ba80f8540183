import { expect } from 'vitest';
import type { apiClient } from '../../test/support/api.ts';
import type { TestStack } from '../../test/support/stack.ts';

/** Uploads a small text file to a record through the edge and returns the attachment's JSON. */
export async function attach(stack: TestStack, token: string, recordPath: string, text = 'hello') {
  const form = new FormData();
  form.append('file', new Blob([new TextEncoder().encode(text)], { type: 'text/plain' }), 'note.txt');
  const response = await fetch(`${stack.edgeUrl}${recordPath}/attachments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  const data = await response.json();
  expect(response.status, JSON.stringify(data)).toBe(201);
  return data as { id: string; recordId: string };
}

/** Creates a record through the edge and returns its id. */
export async function make(api: ReturnType<typeof apiClient>, token: string, path: string, body: unknown) {
  const made = await api.call('POST', path, { token, body });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return made.data.id as string;
}
