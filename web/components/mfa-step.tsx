import type { ApiFailure } from '../api.ts';
import { fieldError, formError } from '../api.ts';
import { Alert, CsrfField } from './ui.tsx';

/** The second sign-in step: the challenge from the password step, and which kind of code the user types. */
export type MfaStep = { token: string; method: 'code' | 'recovery'; error?: ApiFailure };

/** A code input: labelled, its error beneath it and tied to it, digits on a phone's keyboard for the app's code. */
function CodeInput(props: { name: 'code' | 'recoveryCode'; label: string; hint: string; error?: string }) {
  const id = `f-${props.name}`;
  const described = [`${id}-hint`, props.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const digits = props.name === 'code';
  return (
    <div class="field">
      <label for={id} class="label">
        {props.label}
        <span aria-hidden="true"> *</span>
      </label>
      <input
        id={id}
        name={props.name}
        type="text"
        required
        autocomplete="one-time-code"
        inputmode={digits ? 'numeric' : 'text'}
        pattern={digits ? '[0-9]{6}' : undefined}
        maxlength={digits ? 6 : 40}
        spellcheck={false}
        autocapitalize="none"
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={described}
        class="input font-mono tracking-widest"
      />
      <p id={`${id}-hint`} class="mt-1 text-xs text-slate-600">
        {props.hint}
      </p>
      {props.error && (
        <p id={`${id}-error`} class="field-error">
          {props.error}
        </p>
      )}
    </div>
  );
}

/**
 * The form of the second step. "Use a recovery code" posts the same challenge back asking for the other field, so
 * it works without JavaScript; the API's complaint about a code shows beneath that code's field.
 */
export function MfaStepForm(props: { step: MfaStep; next: string; csrf: string }) {
  const { step, next, csrf } = props;
  const recovery = step.method === 'recovery';
  const field = recovery ? 'recoveryCode' : 'code';
  const general = formError(step.error, [field]);
  return (
    <div class="mx-auto max-w-sm">
      <h1 class="mb-6 text-2xl font-semibold tracking-tight">Two-step sign-in</h1>
      <form method="post" action="/login" class="card space-y-4" noValidate>
        <CsrfField csrf={csrf} />
        <input type="hidden" name="next" value={next} />
        <input type="hidden" name="mfaToken" value={step.token} />
        <input type="hidden" name="method" value={step.method} />
        {general && <Alert>{general}</Alert>}
        {recovery ? (
          <CodeInput
            name="recoveryCode"
            label="Recovery code"
            hint="One of the codes you saved when you set up two-step sign-in; each works once."
            error={fieldError(step.error, 'recoveryCode')}
          />
        ) : (
          <CodeInput
            name="code"
            label="One-time code"
            hint="The six digits your authenticator app shows now."
            error={fieldError(step.error, 'code')}
          />
        )}
        <button type="submit" name="intent" value="verify" class="btn-primary w-full">
          Verify and sign in
        </button>
        <button
          type="submit"
          name="intent"
          value={recovery ? 'use-code' : 'use-recovery'}
          formnovalidate
          class="btn-secondary w-full"
        >
          {recovery ? 'Use the code from my app instead' : 'Use a recovery code instead'}
        </button>
      </form>
      <p class="mt-4 text-center text-sm">
        <a href="/login" class="font-medium text-indigo-700 underline">
          Start again with your password
        </a>
      </p>
    </div>
  );
}
