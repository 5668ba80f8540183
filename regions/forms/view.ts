import type { z } from '@hono/zod-openapi';
import { formPublicId } from '../../edge/forms/public-id.ts';
import type { FormField, FormLeadDefaultsSchema, FormSchema } from '../../openapi/schemas/forms.ts';
import type { FormRow } from './access.ts';

/** The edge's public address, where the embed script is served (the README's PUBLIC_BASE_URL). */
const publicBaseUrl = () => (process.env.PUBLIC_BASE_URL ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');

export const embedSnippet = (publicId: string) =>
  `<script src="${publicBaseUrl()}/forms/${publicId}.js" async></script>`;

/** A form as the admin API shows it, with its public id and the snippet to paste into a page. */
export function formView(row: FormRow, region: string): z.output<typeof FormSchema> {
  const publicId = formPublicId(region, row.organizationId, row.id);
  return {
    id: row.id,
    publicId,
    embedSnippet: embedSnippet(publicId),
    name: row.name,
    fields: row.fields as z.output<typeof FormField>[],
    leadDefaults: row.leadDefaults as z.output<typeof FormLeadDefaultsSchema>,
    consentText: row.consentText,
    consentRequired: row.consentRequired,
    submitLabel: row.submitLabel,
    successMessage: row.successMessage,
    redirectUrl: row.redirectUrl,
    allowedOrigins: row.allowedOrigins,
    turnstileSiteKey: row.turnstileSiteKey,
    active: row.active,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * What the edge needs to serve the embed script and check a submission before it reaches the region: nothing that
 * is not already visible in the page (no lead mapping, no ids of the organization's records).
 */
export function publicDefinition(row: FormRow, region: string) {
  const fields = row.fields as z.output<typeof FormField>[];
  return {
    publicId: formPublicId(region, row.organizationId, row.id),
    version: row.version,
    fields: fields.map(({ leadField: _kept, ...field }) => field),
    consentText: row.consentText,
    consentRequired: row.consentRequired,
    submitLabel: row.submitLabel,
    successMessage: row.successMessage,
    redirectUrl: row.redirectUrl,
    allowedOrigins: row.allowedOrigins,
    turnstileSiteKey: row.turnstileSiteKey,
  };
}

export type PublicFormDefinition = ReturnType<typeof publicDefinition>;
