import { createRoute, z } from '@hono/zod-openapi';
import { failureResponse, jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import {
  EmbedScriptParam,
  FormSubmissionInput,
  FormSubmissionResult,
  PublicFormIdParam,
  submissionInputExample,
  submissionResultExample,
} from '../../schemas/forms.ts';

/**
 * The routes a customer's page calls, with no credentials. The edge answers them itself (edge/forms/): it serves the
 * script, applies the form's CORS allowlist, the honeypot, rate limits and Turnstile, and only then asks the home
 * region, named in the public id. Described here so the document covers them; not forwarded by the edge's generic
 * handler, which is why they are not `publicOperations`.
 */
export const embedScriptRoute = createRoute({
  method: 'get',
  // `{script}` is the public id followed by `.js`: a path parameter must be a whole segment (and kebab-case lint).
  path: '/forms/{script}',
  operationId: 'getFormEmbedScript',
  tags: ['forms'],
  summary: 'The embed script of a form (no credentials)',
  description:
    'Load it from a script element with `async` and `src` set to `…/forms/{publicId}.js` (the `embedSnippet` of the form): it renders the form right after the script tag (or into `<div data-crm-form="{publicId}">`) inside a Shadow DOM, submits it, shows the errors per field or the success message, or goes to the redirect URL. Cached briefly; a change of the form shows on the next load.',
  security: [],
  request: { params: EmbedScriptParam },
  responses: {
    200: {
      description: 'The script',
      content: {
        'text/javascript': { schema: z.string(), example: '(function(){"use strict";/* renders the form */})();' },
      },
    },
    ...pick(404, 429),
  },
});

export const submitFormRoute = createRoute({
  method: 'post',
  path: '/forms/{publicId}/submissions',
  operationId: 'submitForm',
  tags: ['forms'],
  summary: 'Submit a form from a page of one of its allowed origins (no credentials)',
  description:
    'Only from an allowed origin (`Origin` header; CORS preflight answered for those only, 403 without CORS headers for any other). JSON or application/x-www-form-urlencoded, at most 16 KiB. Limited per IP and per form (429 with Retry-After). A filled honeypot field (`website`) is answered as a success and dropped. With Turnstile, `cf-turnstile-response` must verify. The lead is created in the home region like `POST /api/v1/leads` (scored, dispatched, owner notified) and `form.submitted` is published.',
  security: [],
  request: {
    params: PublicFormIdParam,
    body: jsonBody(FormSubmissionInput, 'The values by field name', submissionInputExample),
  },
  responses: {
    201: jsonResponse(FormSubmissionResult, 'Accepted', submissionResultExample),
    ...pick(400, 404, 413, 415, 429),
    403: failureResponse(
      'The page is not on an allowed origin, or the Turnstile challenge failed',
      'origin_not_allowed',
      'This form does not accept submissions from https://elsewhere.example',
    ),
  },
});

export const publicFormRoutes = [embedScriptRoute, submitFormRoute];
