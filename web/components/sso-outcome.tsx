import type { ApiFailure } from '../api.ts';
import { Alert } from './ui.tsx';

/** An SSO sign-in that did not end in a session: why, and the way back. */
export function SsoFailed(props: { error: ApiFailure }) {
  return (
    <div class="mx-auto max-w-sm space-y-4">
      <h1 class="text-2xl font-semibold tracking-tight">Single sign-on did not work</h1>
      <Alert>{props.error.message}</Alert>
      <p class="text-sm">
        <a href="/sso" class="font-medium text-indigo-700 underline">
          Try single sign-on again
        </a>{' '}
        or{' '}
        <a href="/login" class="font-medium text-indigo-700 underline">
          sign in with a password
        </a>
        .
      </p>
    </div>
  );
}
