import type { z } from '@hono/zod-openapi';
import { companies } from '../../db/schema/index.ts';
import { badRequest, fieldIssues } from '../../openapi/errors.ts';
import { ActivityListQuery } from '../../openapi/schemas/activities.ts';
import { CompanyListQuery } from '../../openapi/schemas/companies.ts';
import { ContactListQuery } from '../../openapi/schemas/contacts.ts';
import { DealListQuery } from '../../openapi/schemas/deals.ts';
import { LeadListQuery } from '../../openapi/schemas/leads.ts';
import type { SavedViewEntitySchema } from '../../openapi/schemas/saved-views.ts';
import { customFieldConditions, customFieldParams } from '../custom-fields/filters.ts';
import type { FieldDefinition } from '../custom-fields/values.ts';

type Entity = z.infer<typeof SavedViewEntitySchema>;
type Filters = Record<string, string | number | boolean>;

/** A view's filters are the list's own query parameters, so they are checked by the list's own schema. */
const listQueries = {
  lead: LeadListQuery,
  contact: ContactListQuery,
  company: CompanyListQuery,
  deal: DealListQuery,
  activity: ActivityListQuery,
} as const;

/**
 * Checks a view's filters as the list would parse them (as query-string values) and returns them as strings.
 * `cf.<key>` filters must name a custom field of the entity; `cursor` belongs to one page, never to a view.
 */
export function checkViewFilters(
  entity: Entity,
  filters: Filters,
  definitions: readonly FieldDefinition[],
): Record<string, string> {
  const asQuery = Object.fromEntries(Object.entries(filters).map(([name, value]) => [name, String(value)]));
  const custom = Object.fromEntries(customFieldParams(asQuery).map(([key, value]) => [`cf.${key}`, value]));
  const plain = Object.fromEntries(Object.entries(asQuery).filter(([name]) => !(name in custom)));
  const issues = [];
  if ('cursor' in plain) issues.push({ path: 'filters.cursor', message: 'A view cannot hold a page cursor' });
  const parsed = listQueries[entity].strict().safeParse(plain);
  if (!parsed.success)
    issues.push(...fieldIssues(parsed.error.issues).map((i) => ({ ...i, path: `filters.${i.path}` })));
  if (Object.keys(custom).length > 0) {
    if (entity === 'activity') {
      issues.push(
        ...Object.keys(custom).map((name) => ({
          path: `filters.${name}`,
          message: 'Activities have no custom fields',
        })),
      );
    } else {
      try {
        // The column is irrelevant here: only the keys and values are being checked.
        customFieldConditions(definitions, companies.customFields, custom);
      } catch (error) {
        const details = (error as { details?: { path: string; message: string }[] }).details ?? [];
        issues.push(...details.map((i) => ({ ...i, path: `filters.${i.path}` })));
      }
    }
  }
  if (issues.length > 0) throw badRequest('validation_failed', 'The view filters are invalid', issues);
  return asQuery;
}
