import type { ComponentChildren } from 'preact';
import { type ApiFailure, fieldError, formError } from '../api.ts';
import { Alert, CsrfField, Field } from './ui.tsx';

/**
 * The one-field form of the pages that begin with a work email (Sign in with SSO, Forgotten password): the API's
 * complaint about the address beside it, anything else above it. `children` go first (a line of explanation).
 */
export function EmailForm(props: {
  action: string;
  csrf: string;
  email?: string;
  error?: ApiFailure;
  submit: string;
  children?: ComponentChildren;
}) {
  const { error } = props;
  const general = formError(error, ['email']);
  return (
    <form method="post" action={props.action} class="card space-y-4" noValidate>
      <CsrfField csrf={props.csrf} />
      {props.children}
      {general && <Alert>{general}</Alert>}
      <Field
        name="email"
        label="Work email"
        type="email"
        autocomplete="username"
        value={props.email}
        error={fieldError(error, 'email')}
        required
      />
      <button type="submit" class="btn-primary w-full">
        {props.submit}
      </button>
    </form>
  );
}
