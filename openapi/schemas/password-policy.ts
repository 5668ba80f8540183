import { errorResponse, errorResponses } from './common.ts';
import { errorExample } from './examples.ts';

/** The `weak_password` example every route that sets a password lists among its 400s (regions/auth/password-strength.ts). */
export const weakPasswordExample = {
  summary: 'The password is too easy to guess (zxcvbn score below 3, the user’s own names counted against it)',
  value: errorExample('weak_password', 'Choose a password that is harder to guess', [
    { path: 'password', message: 'This is a very common password. Add more words that are less common.' },
  ]),
};

/** The usual 400 of a route that sets a password: validation, bad JSON, or a weak password. */
export const passwordSettingBadRequest = errorResponse(
  'The request is malformed or fails validation, or the password is too easy to guess',
  {
    ...errorResponses[400].content['application/json'].examples,
    weak_password: weakPasswordExample,
  },
);

/** Sign-in's 429: the edge's rate limit, or a locked email or network (regions/auth/lockout.ts). */
export const signInRefusedResponse = errorResponse(
  'Too many requests, or too many failed sign-ins for this email or network; see Retry-After',
  {
    ...errorResponses[429].content['application/json'].examples,
    too_many_attempts: {
      summary: 'Locked after repeated failures: the same answer whether or not the email is registered',
      value: errorExample('too_many_attempts', 'Too many failed sign-ins. Try again in 2 minutes.'),
    },
  },
  errorResponses[429].headers,
);
