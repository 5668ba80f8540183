import {
  type Enrolment,
  EnrolmentCard,
  type Failed,
  ManageCards,
  type MfaStatus,
  OrganizationCard,
  type OrganizationSecurity,
  RecoveryCodesCard,
  StartCard,
  StatusCard,
} from '../../web/components/mfa-settings.tsx';
import { formText, Outcome, SettingsShell } from '../../web/components/settings.tsx';
import { Alert } from '../../web/components/ui.tsx';
import { displayOf } from '../../web/display.ts';
import type { Handlers, PageProps, RouteContext } from '../../web/route.ts';

type Data = {
  status: MfaStatus | null;
  organization: OrganizationSecurity | null;
  enrolment?: Enrolment;
  recoveryCodes?: string[];
  notice?: string;
  failed?: Failed;
  loadError?: string;
};

const title = 'Security and MFA';
const canManageOrganization = (ctx: RouteContext<Data>) => Boolean(ctx.me?.permissions.includes('settings:manage'));

/** The page as it stands, plus what the action just did (an enrolment to finish, codes to show once, an error). */
async function load(ctx: RouteContext<Data>, extra: Partial<Data> = {}, status = 200) {
  const [mfa, organization] = await Promise.all([
    ctx.api<MfaStatus>('/api/v1/me/mfa'),
    canManageOrganization(ctx) ? ctx.api<OrganizationSecurity>('/api/v1/organization/security') : null,
  ]);
  const data: Data = {
    status: mfa.ok ? mfa.data : null,
    organization: organization?.ok ? organization.data : null,
    loadError: mfa.ok ? undefined : mfa.error.message,
    ...extra,
  };
  return ctx.render(data, { title, status });
}

/** Asks the API for the enrolment (a pending one answers its same secret), to show its QR code. */
async function enrolment(ctx: RouteContext<Data>, extra: Partial<Data> = {}, status = 200) {
  const started = await ctx.api<Enrolment>('/api/v1/me/mfa/enrolment', { method: 'POST' });
  if (!started.ok) return load(ctx, { failed: { key: 'start', error: started.error } }, started.status);
  const { secret, otpauthUri, qrCodeSvg } = started.data;
  return load(ctx, { enrolment: { secret, otpauthUri, qrCodeSvg }, ...extra }, status);
}

type CodesAnswer = { recoveryCodes: string[]; status: MfaStatus };

export const handler: Handlers<Data> = {
  GET: (ctx) => {
    const notice = ctx.url.searchParams.get('done');
    return load(ctx, notice === 'off' ? { notice: 'Two-step sign-in is off.' } : {});
  },
  async POST(ctx) {
    const form = await ctx.form();
    const intent = formText(form, 'intent');
    if (intent === 'start') return enrolment(ctx);
    if (intent === 'confirm') {
      const answer = await ctx.api<CodesAnswer>('/api/v1/me/mfa/enrolment/confirm', {
        method: 'POST',
        body: { code: formText(form, 'code') },
      });
      if (!answer.ok) return enrolment(ctx, { failed: { key: 'confirm', error: answer.error } }, answer.status);
      const notice = 'Two-step sign-in is on. Signing in will ask for a code from your app.';
      return load(ctx, { recoveryCodes: answer.data.recoveryCodes, notice });
    }
    if (intent === 'regenerate') {
      const answer = await ctx.api<CodesAnswer>('/api/v1/me/mfa/recovery-codes', {
        method: 'POST',
        body: { code: formText(form, 'code') },
      });
      if (!answer.ok) return load(ctx, { failed: { key: 'regenerate', error: answer.error } }, answer.status);
      return load(ctx, { recoveryCodes: answer.data.recoveryCodes, notice: 'New recovery codes replace the old.' });
    }
    if (intent === 'disable') {
      const code = formText(form, 'code');
      const recoveryCode = formText(form, 'recoveryCode');
      // Whichever was filled in; with neither, the code is sent empty so the API says what is missing beside it.
      const factor = !code && recoveryCode ? { recoveryCode } : { code };
      const answer = await ctx.api('/api/v1/me/mfa/disable', {
        method: 'POST',
        body: { password: String(form.get('password') ?? ''), ...factor },
      });
      if (!answer.ok) return load(ctx, { failed: { key: 'disable', error: answer.error } }, answer.status);
      return ctx.redirect('/settings/security?done=off');
    }
    if (intent === 'organization' && canManageOrganization(ctx)) {
      const answer = await ctx.api<OrganizationSecurity>('/api/v1/organization/security', {
        method: 'PATCH',
        body: { mfaRequired: form.get('mfaRequired') === 'on' },
      });
      if (!answer.ok) return load(ctx, { failed: { key: 'organization', error: answer.error } }, answer.status);
      const notice = answer.data.mfaRequired
        ? 'Two-step sign-in is now required: members without it set it up when they next open a page.'
        : 'Two-step sign-in is no longer required.';
      return load(ctx, { notice });
    }
    return load(ctx, {}, 400);
  },
};

export default function SecurityPage({ data, csrf, me }: PageProps<Data>) {
  const { status, failed } = data;
  return (
    <SettingsShell me={me} current="/settings/security" title={title}>
      <div class="space-y-6">
        {me?.mfaEnrolmentRequired && !data.recoveryCodes && (
          <Alert tone="info">Your organization requires two-step sign-in. Set it up here to go on using the app.</Alert>
        )}
        <Outcome notice={data.notice} error={data.loadError} />
        {data.recoveryCodes && <RecoveryCodesCard codes={data.recoveryCodes} />}
        {status && <StatusCard status={status} display={displayOf(me)} />}
        {data.enrolment ? (
          <EnrolmentCard enrolment={data.enrolment} csrf={csrf} failed={failed} />
        ) : (
          status && !status.enabled && <StartCard csrf={csrf} pending={status.pendingEnrolment} failed={failed} />
        )}
        {status?.enabled && <ManageCards csrf={csrf} status={status} failed={failed} />}
        {data.organization && <OrganizationCard csrf={csrf} security={data.organization} failed={failed} />}
      </div>
    </SettingsShell>
  );
}
