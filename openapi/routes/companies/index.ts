import { home, type PublicOperation } from '../../operation.ts';
import { createCompanyRoute } from './create.ts';
import { deleteCompanyRoute } from './delete.ts';
import { getCompanyRoute } from './get.ts';
import { listCompaniesRoute } from './list.ts';
import { listCompanyActivitiesRoute } from './list-activities.ts';
import { listCompanyContactsRoute } from './list-contacts.ts';
import { listCompanyDealsRoute } from './list-deals.ts';
import { updateCompanyRoute } from './update.ts';

export const companyOperations: PublicOperation[] = [
  { route: createCompanyRoute, target: home },
  { route: listCompaniesRoute, target: home, cacheable: true },
  { route: getCompanyRoute, target: home, cacheable: true },
  { route: updateCompanyRoute, target: home },
  { route: deleteCompanyRoute, target: home },
  { route: listCompanyContactsRoute, target: home, cacheable: true },
  { route: listCompanyDealsRoute, target: home, cacheable: true },
  { route: listCompanyActivitiesRoute, target: home, cacheable: true },
];
