import { expect } from 'vitest';
import type { apiClient } from '../../test/support/api.ts';
import type { FileStorage } from '../storage/port.ts';

type Api = ReturnType<typeof apiClient>;

/** Uploads a CSV as multipart/form-data, as a browser would. */
export async function uploadCsv(
  edgeUrl: string,
  token: string,
  csv: string | Uint8Array,
  entity: string | null,
  { filename = 'import.csv', type = 'text/csv', headers = {} as Record<string, string> } = {},
) {
  const form = new FormData();
  form.append('file', new Blob([csv as BlobPart], { type }), filename);
  if (entity !== null) form.append('entity', entity);
  const response = await fetch(`${edgeUrl}/api/v1/imports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...headers },
    body: form,
  });
  const text = await response.text();
  return { status: response.status, data: text ? JSON.parse(text) : null, headers: response.headers };
}

/** Reads the import until `done` says so (or fails the test after `timeoutMs`). */
export async function waitForImport(
  api: Api,
  token: string,
  id: string,
  done: (data: { status: string; processedRows: number }) => boolean = (d) =>
    ['completed', 'failed', 'cancelled'].includes(d.status),
  timeoutMs = 120_000,
) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const reply = await api.call('GET', `/api/v1/imports/${id}`, { token });
    expect(reply.status, JSON.stringify(reply.data)).toBe(200);
    if (done(reply.data)) return reply.data;
    if (Date.now() > until) throw new Error(`import ${id} did not get there: ${JSON.stringify(reply.data)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Makes `storage` (the region's own object, which the batch worker shares) hold back uploaded CSVs (not error
 * reports) after `limit` bytes until `open()`: a test can look at an import while only the start of its file has
 * been read, and count how much was read. `restore()` puts the storage back as it was.
 */
export function gateStorage(storage: FileStorage, limit: number) {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  const state = { delivered: 0, open: () => open() };
  const get = storage.get.bind(storage);
  // An own property shadows the adapter's method for everyone holding this object.
  storage.get = async (key) => {
    const stream = await get(key);
    if (!/\/imports\/[^/.]+\.csv$/.test(key)) return stream;
    const reader = stream.getReader();
    let pending: Uint8Array | null = null;
    let released = false;
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = pending ? { done: false as const, value: pending } : await reader.read();
        pending = null;
        if (next.done) return controller.close();
        const value = next.value;
        if (!released && state.delivered + value.length > limit) {
          const room = limit - state.delivered;
          if (room > 0) {
            controller.enqueue(value.subarray(0, room));
            state.delivered += room;
            pending = value.subarray(room);
            return;
          }
          await opened;
          released = true;
        }
        state.delivered += value.length;
        controller.enqueue(value);
      },
      cancel: (reason) => reader.cancel(reason),
    });
  };
  return {
    state,
    restore() {
      delete (storage as Partial<FileStorage>).get;
      if (!storage.get) storage.get = get;
    },
  };
}
