import { home, type PublicOperation } from '../../operation.ts';
import { confirmMfaEnrolmentRoute } from './confirm-enrolment.ts';
import { disableMfaRoute } from './disable.ts';
import { getOrganizationSecurityRoute } from './get-organization-security.ts';
import { getMfaStatusRoute } from './get-status.ts';
import { mfaLoginRoute } from './login.ts';
import { regenerateRecoveryCodesRoute } from './regenerate-recovery-codes.ts';
import { resetUserMfaRoute } from './reset-user.ts';
import { startMfaEnrolmentRoute } from './start-enrolment.ts';
import { updateOrganizationSecurityRoute } from './update-organization-security.ts';

export const mfaOperations: PublicOperation[] = [
  // The second sign-in step carries no credentials: its challenge token names the region, like a refresh token.
  { route: mfaLoginRoute, target: { kind: 'token', field: 'mfaToken' } },
  { route: getMfaStatusRoute, target: home },
  { route: startMfaEnrolmentRoute, target: home },
  { route: confirmMfaEnrolmentRoute, target: home },
  { route: regenerateRecoveryCodesRoute, target: home },
  { route: disableMfaRoute, target: home },
  { route: resetUserMfaRoute, target: home },
  { route: getOrganizationSecurityRoute, target: home },
  { route: updateOrganizationSecurityRoute, target: home },
];
