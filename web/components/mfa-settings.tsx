import CopyButton from '../../islands/CopyButton.tsx';
import type { ApiFailure } from '../api.ts';
import { type Display, formatMinute } from '../display.ts';
import { errorFor, generalError, Outcome, TextField } from './settings.tsx';
import { CsrfField } from './ui.tsx';

export type MfaStatus = {
  enabled: boolean;
  enabledAt: string | null;
  pendingEnrolment: boolean;
  recoveryCodesLeft: number;
  organizationRequiresMfa: boolean;
  enrolmentRequired: boolean;
};
export type Enrolment = { secret: string; otpauthUri: string; qrCodeSvg: string };
export type OrganizationSecurity = { mfaRequired: boolean; activeMembers: number; membersWithMfa: number };
export type Failed = { key: string; error: ApiFailure };

/** The new secret as a QR code (SVG made by the API from its own data, never from input) and as text to type. */
export function EnrolmentCard(props: { enrolment: Enrolment; csrf: string; failed?: Failed }) {
  const { enrolment, csrf, failed } = props;
  return (
    <section class="card space-y-4" aria-labelledby="enrol-heading">
      <h2 id="enrol-heading" class="font-semibold">
        Set up your authenticator app
      </h2>
      <ol class="list-decimal space-y-1 pl-5 text-sm text-slate-700">
        <li>Open an authenticator app (Google Authenticator, 1Password, Authy, Microsoft Authenticator…).</li>
        <li>Scan this QR code, or type the key below into the app.</li>
        <li>Enter the six-digit code the app shows to turn two-step sign-in on.</li>
      </ol>
      <div
        role="img"
        aria-label="QR code to scan with your authenticator app"
        class="inline-block rounded border border-slate-200 bg-white p-2"
        // The API drew this SVG itself, from the otpauth URI it made: no input of anyone reaches this markup.
        dangerouslySetInnerHTML={{ __html: enrolment.qrCodeSvg }}
      />
      <div>
        <p class="label">Key to type in by hand</p>
        <code class="block break-all rounded bg-slate-100 p-2 font-mono text-sm" data-testid="mfa-secret">
          {enrolment.secret}
        </code>
      </div>
      <form method="post" class="space-y-3" noValidate>
        <CsrfField csrf={csrf} />
        <input type="hidden" name="intent" value="confirm" />
        <Outcome error={generalError(failed, 'confirm', ['code'])} />
        <TextField
          id="confirm-code"
          name="code"
          label="Code from the app"
          hint="Six digits"
          error={errorFor(failed, 'confirm', 'code')}
          required
        />
        <button type="submit" class="btn-primary">
          Turn on two-step sign-in
        </button>
      </form>
    </section>
  );
}

/** Recovery codes, shown this once: listed, and copied together with one button. */
export function RecoveryCodesCard(props: { codes: string[] }) {
  return (
    <section class="card space-y-3 border-emerald-300" aria-labelledby="codes-heading">
      <h2 id="codes-heading" class="font-semibold">
        Your recovery codes
      </h2>
      <p class="text-sm text-slate-700">
        Save them somewhere safe now: they are shown only this once. Each one signs you in once if you lose your phone.
      </p>
      <ol class="grid grid-cols-2 gap-1 font-mono text-sm" data-testid="recovery-codes">
        {props.codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <CopyButton text={props.codes.join('\n')} label="Copy the recovery codes" />
    </section>
  );
}

export function StatusCard(props: { status: MfaStatus; display: Display }) {
  const { status } = props;
  return (
    <section class="card space-y-1" aria-labelledby="status-heading">
      <h2 id="status-heading" class="font-semibold">
        Two-step sign-in
      </h2>
      {status.enabled ? (
        <p class="text-sm text-slate-700" data-testid="mfa-status">
          On since {formatMinute(status.enabledAt, props.display)}. {status.recoveryCodesLeft} of 10 recovery codes
          left.
        </p>
      ) : (
        <p class="text-sm text-slate-700" data-testid="mfa-status">
          Off: signing in needs only your password.
          {status.organizationRequiresMfa && ' Your organization requires it, so set it up now.'}
        </p>
      )}
    </section>
  );
}

/** Start (or continue) enrolment. */
export function StartCard(props: { csrf: string; pending: boolean; failed?: Failed }) {
  return (
    <section class="card space-y-3" aria-labelledby="start-heading">
      <h2 id="start-heading" class="font-semibold">
        Protect your account with an authenticator app
      </h2>
      <p class="text-sm text-slate-700">
        After your password, signing in will ask for a six-digit code from an app on your phone.
      </p>
      <Outcome error={generalError(props.failed, 'start', [])} />
      <form method="post">
        <CsrfField csrf={props.csrf} />
        <input type="hidden" name="intent" value="start" />
        <button type="submit" class="btn-primary">
          {props.pending ? 'Continue setting up' : 'Set up an authenticator app'}
        </button>
      </form>
    </section>
  );
}

/** New recovery codes for a current code, and turning MFA off with password and a code. */
export function ManageCards(props: { csrf: string; status: MfaStatus; failed?: Failed }) {
  const { csrf, status, failed } = props;
  return (
    <>
      <section class="card space-y-3" aria-labelledby="regenerate-heading">
        <h2 id="regenerate-heading" class="font-semibold">
          New recovery codes
        </h2>
        <p class="text-sm text-slate-700">Ten new codes replace every earlier one.</p>
        <form method="post" class="space-y-3" noValidate>
          <CsrfField csrf={csrf} />
          <input type="hidden" name="intent" value="regenerate" />
          <Outcome error={generalError(failed, 'regenerate', ['code'])} />
          <TextField
            id="regenerate-code"
            name="code"
            label="Code from the app"
            error={errorFor(failed, 'regenerate', 'code')}
            required
          />
          <button type="submit" class="btn-secondary">
            Make new recovery codes
          </button>
        </form>
      </section>
      <section class="card space-y-3" aria-labelledby="disable-heading">
        <h2 id="disable-heading" class="font-semibold">
          Turn two-step sign-in off
        </h2>
        {status.organizationRequiresMfa ? (
          <p class="text-sm text-slate-700">Your organization requires two-step sign-in, so it stays on.</p>
        ) : (
          <form method="post" class="space-y-3" noValidate>
            <CsrfField csrf={csrf} />
            <input type="hidden" name="intent" value="disable" />
            <Outcome error={generalError(failed, 'disable', ['password', 'code', 'recoveryCode'])} />
            <TextField
              id="disable-password"
              name="password"
              type="password"
              label="Password"
              error={errorFor(failed, 'disable', 'password')}
              required
            />
            <TextField
              id="disable-code"
              name="code"
              label="Code from the app"
              error={errorFor(failed, 'disable', 'code')}
            />
            <TextField
              id="disable-recovery"
              name="recoveryCode"
              label="…or a recovery code, if you have lost your phone"
              error={errorFor(failed, 'disable', 'recoveryCode')}
            />
            <button type="submit" class="btn-secondary">
              Turn off
            </button>
          </form>
        )}
      </section>
    </>
  );
}

/** The organization's switch, for admins: members without MFA are sent to set it up when they next open a page. */
export function OrganizationCard(props: { csrf: string; security: OrganizationSecurity; failed?: Failed }) {
  const { csrf, security, failed } = props;
  return (
    <section class="card space-y-3" aria-labelledby="org-heading">
      <h2 id="org-heading" class="font-semibold">
        Organization
      </h2>
      <p class="text-sm text-slate-700" data-testid="org-mfa-count">
        {security.membersWithMfa} of {security.activeMembers} active members use two-step sign-in.
      </p>
      <form method="post" class="space-y-3">
        <CsrfField csrf={csrf} />
        <input type="hidden" name="intent" value="organization" />
        <Outcome error={generalError(failed, 'organization', [])} />
        <label class="flex items-center gap-2 text-sm">
          <input type="checkbox" name="mfaRequired" value="on" class="h-4 w-4" checked={security.mfaRequired} />
          Require two-step sign-in of every member
        </label>
        <button type="submit" class="btn-secondary">
          Save
        </button>
      </form>
    </section>
  );
}
