import { home, type PublicOperation } from '../../operation.ts';
import { addSsoDomainRoute } from './add-domain.ts';
import { createSsoConnectionRoute } from './create-connection.ts';
import { deleteSsoConnectionRoute } from './delete-connection.ts';
import { getSsoConnectionRoute } from './get-connection.ts';
import { listSsoConnectionsRoute } from './list-connections.ts';
import { listSsoDomainsRoute } from './list-domains.ts';
import { oidcCallbackRoute } from './oidc-callback.ts';
import { removeSsoDomainRoute } from './remove-domain.ts';
import { samlAcsRoute } from './saml-acs.ts';
import { samlMetadataRoute } from './saml-metadata.ts';
import { startSsoRoute } from './start.ts';
import { updateSsoConnectionRoute } from './update-connection.ts';
import { updateSsoDomainRoute } from './update-domain.ts';
import { verifySsoDomainRoute } from './verify-domain.ts';

export const ssoOperations: PublicOperation[] = [
  // Before any account exists: the email's verified domain names the region (the directory), then the state does.
  { route: startSsoRoute, target: { kind: 'sso' } },
  { route: oidcCallbackRoute, target: { kind: 'token', field: 'state' } },
  { route: samlAcsRoute, target: { kind: 'token', field: 'relayState' } },
  { route: listSsoConnectionsRoute, target: home },
  { route: createSsoConnectionRoute, target: home },
  { route: getSsoConnectionRoute, target: home },
  { route: updateSsoConnectionRoute, target: home },
  { route: deleteSsoConnectionRoute, target: home },
  // Public: the connection's public id names its region (edge/protocol/saml-sp-id.ts).
  { route: samlMetadataRoute, target: { kind: 'token', field: 'connection', in: 'path' } },
  { route: listSsoDomainsRoute, target: home },
  { route: addSsoDomainRoute, target: home },
  { route: verifySsoDomainRoute, target: home },
  { route: updateSsoDomainRoute, target: home },
  { route: removeSsoDomainRoute, target: home },
];
