import { home, type PublicOperation } from '../../operation.ts';
import { bulkCompaniesRoute } from './companies.ts';
import { bulkContactsRoute } from './contacts.ts';
import { bulkDealsRoute } from './deals.ts';
import { bulkLeadsRoute } from './leads.ts';

export const bulkOperations: PublicOperation[] = [
  { route: bulkLeadsRoute, target: home },
  { route: bulkContactsRoute, target: home },
  { route: bulkCompaniesRoute, target: home },
  { route: bulkDealsRoute, target: home },
];
