import { home, type PublicOperation } from '../../operation.ts';
import { listAuditLogRoute } from './list.ts';

export const auditOperations: PublicOperation[] = [
  // Cached per principal like any read: every write through the edge invalidates the organization's entries.
  { route: listAuditLogRoute, target: home, cacheable: true },
];
