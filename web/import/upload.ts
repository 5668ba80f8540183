import { type ApiResult, readApiResponse } from '../api.ts';
import { csrfToken } from '../client/api.ts';
import type { ImportView } from './model.ts';

export type Upload = { done: Promise<ApiResult<ImportView>>; abort(): void };

const failure = (code: string, message: string): ApiResult<never> => ({
  ok: false,
  status: 0,
  headers: new Headers(),
  error: { status: 0, code, message, details: [] },
});

/**
 * Uploads the CSV as multipart/form-data with XMLHttpRequest, not fetch: only XHR reports upload progress. The
 * session cookies go along by themselves; the CSRF header is what the edge wants of a cookie-carried write. The
 * answer is read into the same result shape as every other API call (the error envelope's message on failure).
 */
export function uploadCsv(file: File, entity: string, onProgress: (fraction: number) => void): Upload {
  const xhr = new XMLHttpRequest();
  const done = new Promise<ApiResult<ImportView>>((resolve) => {
    xhr.open('POST', '/api/v1/imports');
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('x-csrf-token', csrfToken());
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status < 200) return resolve(failure('network_error', 'The server did not answer the upload; try again'));
      if (xhr.status === 401) location.assign(`/login?next=${encodeURIComponent(location.pathname)}`);
      const headers = new Headers({ 'content-type': xhr.getResponseHeader('content-type') ?? '' });
      resolve(readApiResponse<ImportView>(new Response(xhr.responseText, { status: xhr.status, headers })));
    };
    xhr.onerror = () =>
      resolve(failure('network_error', 'The upload did not reach the server; check the connection and try again'));
    xhr.onabort = () => resolve(failure('aborted', 'The upload was stopped'));
    const form = new FormData();
    form.set('entity', entity);
    form.set('file', file, file.name);
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}
