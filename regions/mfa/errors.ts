import { ApiError } from '../../openapi/errors.ts';
import { LOCK_MINUTES } from './factors.ts';

/** A wrong code in a settings form: 400 on the field, so the form shows it beside the input (401 would sign out). */
export const wrongCode = (field: 'code' | 'recoveryCode' = 'code') =>
  new ApiError(400, 'invalid_mfa_code', 'The code is not right', [
    {
      path: field,
      message:
        field === 'code'
          ? 'This code is wrong or was already used; wait for the next one'
          : 'This recovery code is wrong or was already used',
    },
  ]);

export const mfaLocked = () =>
  new ApiError(
    429,
    'mfa_locked',
    `Too many wrong codes in a row; try again in ${LOCK_MINUTES} minutes or ask an admin to reset your MFA`,
  );

export const challengeExpired = () =>
  new ApiError(401, 'mfa_challenge_expired', 'This sign-in has expired; sign in again with your password');
