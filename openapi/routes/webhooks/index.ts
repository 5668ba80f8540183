import { home, type PublicOperation } from '../../operation.ts';
import { listWebhookDeliveriesRoute, replayWebhookDeliveryRoute } from './deliveries.ts';
import {
  createInboundEndpointRoute,
  deleteInboundEndpointRoute,
  listInboundEndpointsRoute,
  receiveInboundRoute,
} from './inbound.ts';
import {
  createWebhookRoute,
  deleteWebhookRoute,
  getWebhookRoute,
  listWebhooksRoute,
  rotateWebhookSecretRoute,
  testWebhookRoute,
  updateWebhookRoute,
} from './subscriptions.ts';

export const webhookOperations: PublicOperation[] = [
  { route: createWebhookRoute, target: home },
  { route: listWebhooksRoute, target: home },
  { route: getWebhookRoute, target: home },
  { route: updateWebhookRoute, target: home },
  { route: deleteWebhookRoute, target: home },
  { route: rotateWebhookSecretRoute, target: home },
  { route: testWebhookRoute, target: home },
  { route: listWebhookDeliveriesRoute, target: home },
  { route: replayWebhookDeliveryRoute, target: home },
  { route: createInboundEndpointRoute, target: home },
  { route: listInboundEndpointsRoute, target: home },
  { route: deleteInboundEndpointRoute, target: home },
  // No credentials: the edge routes by the region in the token, like an invitation or unsubscribe link.
  { route: receiveInboundRoute, target: { kind: 'token', field: 'token', in: 'path' } },
];
