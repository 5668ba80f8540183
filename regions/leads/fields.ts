import type { z } from '@hono/zod-openapi';
import type { LeadInput } from '../../openapi/schemas/leads.ts';

/** A new lead's stored fields: the input with its defaults, the email lower-cased so lookups by email match. */
export const newLeadFields = (input: z.infer<typeof LeadInput>, ownerId: string | null) => ({
  firstName: input.firstName ?? '',
  lastName: input.lastName ?? '',
  email: input.email?.toLowerCase() ?? null,
  phone: input.phone ?? null,
  company: input.company ?? null,
  title: input.title ?? null,
  source: input.source ?? null,
  country: input.country ?? null,
  region: input.region ?? null,
  industry: input.industry ?? null,
  status: input.status ?? 'new',
  ownerId,
});
