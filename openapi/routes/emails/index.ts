import { home, type PublicOperation } from '../../operation.ts';
import { bulkEmailRoute } from './bulk.ts';
import { getEmailRoute, listEmailsRoute } from './list.ts';
import { sendEmailRoute } from './send.ts';
import { addSuppressionRoute, listSuppressionsRoute, removeSuppressionRoute } from './suppressions.ts';
import { unsubscribeLinkRoute, unsubscribeOneClickRoute } from './unsubscribe.ts';

/** The unsubscribe token names its region, like a refresh token, but travels in the link's query. */
const unsubscribeTarget = { kind: 'token', field: 'token', in: 'query' } as const;

// Email states change in the worker, outside the edge, so their reads are not cached.
export const emailOperations: PublicOperation[] = [
  { route: sendEmailRoute, target: home },
  { route: bulkEmailRoute, target: home },
  { route: listEmailsRoute, target: home },
  { route: getEmailRoute, target: home },
  { route: listSuppressionsRoute, target: home },
  { route: addSuppressionRoute, target: home },
  { route: removeSuppressionRoute, target: home },
  { route: unsubscribeLinkRoute, target: unsubscribeTarget },
  { route: unsubscribeOneClickRoute, target: unsubscribeTarget, form: true },
];
