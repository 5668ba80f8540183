import type { bulkJobResources } from '../../db/schema/index.ts';
import { companyBulk } from './companies.ts';
import { contactBulk } from './contacts.ts';
import { dealBulk } from './deals.ts';
import { leadBulk } from './leads.ts';
import type { BulkAdapter } from './run.ts';

export type BulkResource = (typeof bulkJobResources)[number];

/** Each resource's adapter, by the name a bulk job keeps, so the worker runs a job with the route's own code. */
export const bulkAdapters: Record<BulkResource, BulkAdapter<never, unknown>> = {
  leads: leadBulk as BulkAdapter<never, unknown>,
  contacts: contactBulk as BulkAdapter<never, unknown>,
  companies: companyBulk as BulkAdapter<never, unknown>,
  deals: dealBulk as BulkAdapter<never, unknown>,
};
