import LogActivity from '../../islands/LogActivity.tsx';
import type { ApiFailure } from '../../web/api.ts';
import {
  ConsentCard,
  DealsCard,
  type Email,
  LeadHistoryCard,
  PersonCard,
  TimelineCard,
  timeline,
  type View360,
} from '../../web/components/contact-360.tsx';
import {
  ContactFields,
  type ContactValues,
  contactBody,
  valuesOfContact,
  valuesOfForm,
} from '../../web/components/contact-form.tsx';
import {
  type CompanyOption,
  conflictMessage,
  isNotFound,
  loadCompanyOptions,
  loadUsers,
  NotFound,
  personName,
  type UserOption,
} from '../../web/components/records.tsx';
import { Alert, CsrfField, PageTitle } from '../../web/components/ui.tsx';
import { displayOf } from '../../web/display.ts';
import type { Handlers, PageProps, RouteContext } from '../../web/route.ts';

type Edit = { values: ContactValues; version: number; error?: ApiFailure; conflict?: boolean };
type Data = {
  view: View360 | null;
  emails: Email[];
  users: UserOption[];
  companies: CompanyOption[];
  edit?: Edit;
  notice?: string;
  error?: ApiFailure;
};

const notices: Record<string, string> = { created: 'Contact created.', saved: 'Changes saved.' };

/** Reads the 360° view and what the page needs beside it; anything not found is one "not found" page. */
async function load(ctx: RouteContext<Data>, edit?: Edit) {
  const id = encodeURIComponent(ctx.params.id!);
  const view = await ctx.api<View360>(`/api/v1/contacts/${id}/360`);
  if (!view.ok) {
    const data = { view: null, emails: [], users: [], companies: [], error: view.error };
    return ctx.render(data, { title: 'Contact not found', status: isNotFound(view.error) ? 404 : view.status });
  }
  const canReadEmails = ctx.me?.permissions.some((p) => p === 'emails:send' || p === 'emails:manage');
  const chosen = edit?.values.companyId || view.data.contact.companyId;
  const [emails, users, companies] = await Promise.all([
    canReadEmails ? ctx.api<{ data: Email[] }>(`/api/v1/emails?contactId=${id}&limit=50`) : null,
    loadUsers(ctx.api),
    loadCompanyOptions(ctx.api, chosen),
  ]);
  const notice = Object.keys(notices).find((key) => ctx.url.searchParams.has(key));
  const data: Data = {
    view: view.data,
    emails: emails?.ok ? emails.data.data : [],
    users,
    companies,
    edit,
    notice: notice ? notices[notice] : undefined,
  };
  return ctx.render(data, { title: personName(view.data.contact), status: edit?.error?.status ?? 200 });
}

export const handler: Handlers<Data> = {
  GET: (ctx) => load(ctx),
  async POST(ctx) {
    const form = await ctx.form();
    const values = valuesOfForm(form);
    const version = Number(form.get('version'));
    const consentBefore = form.get('consentBefore') === 'true';
    const id = encodeURIComponent(ctx.params.id!);
    const answer = await ctx.api(`/api/v1/contacts/${id}`, {
      method: 'PATCH',
      body: contactBody(values, consentBefore, false),
      headers: { 'if-match': `"v${Number.isInteger(version) ? version : 0}"` },
    });
    if (answer.ok) return ctx.redirect(`/contacts/${id}?saved=1`);
    return load(ctx, { values, version, error: answer.error, conflict: answer.status === 412 });
  },
};

function EditForm(props: { data: Data; view: View360; csrf: string; me: PageProps<Data>['me'] }) {
  const { contact } = props.view;
  const edit = props.data.edit;
  return (
    <details class="card" open={Boolean(edit)}>
      <summary class="cursor-pointer font-semibold">Edit contact</summary>
      <form method="post" class="mt-4 space-y-4" noValidate>
        <CsrfField csrf={props.csrf} />
        <input type="hidden" name="version" value={String(edit?.version ?? contact.version)} />
        <input type="hidden" name="consentBefore" value={String(contact.marketingEmailConsent)} />
        {edit?.conflict ? (
          <Alert>
            {conflictMessage('contact')}{' '}
            <a href={`/contacts/${contact.id}`} class="underline">
              Reload
            </a>
          </Alert>
        ) : null}
        <ContactFields
          values={edit?.values ?? valuesOfContact(contact)}
          error={edit?.conflict ? undefined : edit?.error}
          users={props.data.users}
          companies={props.data.companies}
          me={props.me}
        />
        <button type="submit" class="btn-primary">
          Save changes
        </button>
      </form>
    </details>
  );
}

export default function ContactPage({ data, csrf, me }: PageProps<Data>) {
  const { view } = data;
  if (!view) return <NotFound what="Contact" listHref="/contacts" error={data.error} />;
  const { contact } = view;
  const can = (permission: string) => me?.permissions.includes(permission) ?? false;
  const actors = Object.fromEntries(data.users.map((u) => [u.id, u.name || u.email]));
  const display = displayOf(me);
  return (
    <>
      <PageTitle>{personName(contact)}</PageTitle>
      <p class="-mt-4 mb-4 text-sm text-slate-700">
        {[contact.title, view.company?.name].filter(Boolean).join(' at ') || 'Contact'}
        {' · '}
        <a href="/contacts" class="text-indigo-700 underline">
          All contacts
        </a>
      </p>
      {data.notice && <Alert tone="info">{data.notice}</Alert>}
      <div class="mt-4 grid grid-cols-1 gap-4 lg:grid-cols-3">
        <PersonCard view={view} display={display} />
        <ConsentCard contact={contact} display={display} />
      </div>
      <div class="mt-4 grid grid-cols-1 gap-4 lg:grid-cols-3">
        <TimelineCard items={timeline(view.recentActivities, data.emails, display)} display={display}>
          {can('activities:create') && (
            <div class="mb-4">
              <LogActivity subjectType="contact" subjectId={contact.id} />
            </div>
          )}
        </TimelineCard>
        <div class="space-y-4">
          <DealsCard deals={view.openDeals} />
          <LeadHistoryCard history={view.leadHistory} actors={actors} display={display} />
        </div>
      </div>
      {can('contacts:update') && (
        <div class="mt-4">
          <EditForm data={data} view={view} csrf={csrf} me={me} />
        </div>
      )}
    </>
  );
}
