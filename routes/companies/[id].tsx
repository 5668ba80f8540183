import LogActivity from '../../islands/LogActivity.tsx';
import type { ApiFailure } from '../../web/api.ts';
import {
  CompanyFields,
  type CompanyValues,
  companyBody,
  companyValuesOfForm,
  valuesOfCompany,
} from '../../web/components/company-form.tsx';
import {
  type ActivitySummary,
  type DealSummary,
  money,
  TimelineCard,
  timeline,
} from '../../web/components/contact-360.tsx';
import {
  conflictMessage,
  Detail,
  isNotFound,
  lifecycleLabels,
  loadUsers,
  NotFound,
  personName,
  type UserOption,
} from '../../web/components/records.tsx';
import { Alert, CsrfField, PageTitle } from '../../web/components/ui.tsx';
import { displayOf, formatDay } from '../../web/display.ts';
import type { Handlers, PageProps, RouteContext } from '../../web/route.ts';

type Company = {
  id: string;
  name: string;
  domain: string | null;
  industry: string | null;
  size: string | null;
  ownerId: string | null;
  tags: string[];
  address: Record<string, string> | null;
  version: number;
  createdAt: string;
};
type ContactRow = {
  id: string;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  title: string | null;
  lifecycleStage: string;
};
type Edit = { values: CompanyValues; version: number; error?: ApiFailure; conflict?: boolean };
type Related<T> = { rows: T[]; more: boolean };
type Data = {
  company: Company | null;
  contacts: Related<ContactRow>;
  deals: Related<DealSummary>;
  activities: ActivitySummary[];
  users: UserOption[];
  edit?: Edit;
  notice?: string;
  error?: ApiFailure;
};

const notices: Record<string, string> = { created: 'Company created.', saved: 'Changes saved.' };
const none = { rows: [], more: false };

async function load(ctx: RouteContext<Data>, edit?: Edit) {
  const id = encodeURIComponent(ctx.params.id!);
  type Page<T> = { data: T[]; nextCursor: string | null };
  const [company, contacts, deals, activities, users] = await Promise.all([
    ctx.api<Company>(`/api/v1/companies/${id}`),
    ctx.api<Page<ContactRow>>(`/api/v1/companies/${id}/contacts?limit=50`),
    ctx.api<Page<DealSummary>>(`/api/v1/companies/${id}/deals?limit=50`),
    ctx.api<Page<ActivitySummary>>(`/api/v1/companies/${id}/activities?limit=50`),
    loadUsers(ctx.api),
  ]);
  if (!company.ok) {
    const data = { company: null, contacts: none, deals: none, activities: [], users: [], error: company.error };
    return ctx.render(data, { title: 'Company not found', status: isNotFound(company.error) ? 404 : company.status });
  }
  const related = <T,>(answer: typeof contacts | typeof deals, rows: T[]) => ({
    rows,
    more: answer.ok && answer.data.nextCursor !== null,
  });
  const notice = Object.keys(notices).find((key) => ctx.url.searchParams.has(key));
  const data: Data = {
    company: company.data,
    contacts: related(contacts, contacts.ok ? contacts.data.data : []),
    deals: related(deals, deals.ok ? deals.data.data : []),
    activities: activities.ok ? activities.data.data : [],
    users,
    edit,
    notice: notice ? notices[notice] : undefined,
  };
  return ctx.render(data, { title: company.data.name, status: edit?.error?.status ?? 200 });
}

export const handler: Handlers<Data> = {
  GET: (ctx) => load(ctx),
  async POST(ctx) {
    const form = await ctx.form();
    const values = companyValuesOfForm(form);
    const version = Number(form.get('version'));
    const id = encodeURIComponent(ctx.params.id!);
    const answer = await ctx.api(`/api/v1/companies/${id}`, {
      method: 'PATCH',
      body: companyBody(values, false),
      headers: { 'if-match': `"v${Number.isInteger(version) ? version : 0}"` },
    });
    if (answer.ok) return ctx.redirect(`/companies/${id}?saved=1`);
    return load(ctx, { values, version, error: answer.error, conflict: answer.status === 412 });
  },
};

function ContactsCard(props: { company: Company; contacts: Related<ContactRow>; canCreate: boolean }) {
  const { rows, more } = props.contacts;
  return (
    <section class="card" aria-labelledby="contacts-heading">
      <div class="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 id="contacts-heading" class="font-semibold">
          Contacts
        </h2>
        {props.canCreate && (
          <a href={`/contacts/new?companyId=${props.company.id}`} class="btn-secondary">
            Add contact
          </a>
        )}
      </div>
      {rows.length === 0 ? (
        <p class="text-sm text-slate-600">No contacts yet.</p>
      ) : (
        <ul class="divide-y divide-slate-100" aria-label={`Contacts at ${props.company.name}`}>
          {rows.map((c) => (
            <li key={c.id} class="flex flex-wrap justify-between gap-x-3 py-2 text-sm">
              <span>
                <a href={`/contacts/${c.id}`} class="font-medium text-indigo-700 underline">
                  {personName(c)}
                </a>
                {c.title && <span class="text-slate-700"> · {c.title}</span>}
              </span>
              <span class="text-slate-700">{lifecycleLabels[c.lifecycleStage] ?? c.lifecycleStage}</span>
            </li>
          ))}
        </ul>
      )}
      {more && <p class="mt-2 text-sm text-slate-600">Showing the newest {rows.length}.</p>}
    </section>
  );
}

function DealsCard(props: { deals: Related<DealSummary> }) {
  const { rows, more } = props.deals;
  return (
    <section class="card" aria-labelledby="deals-heading">
      <h2 id="deals-heading" class="mb-3 font-semibold">
        Deals
      </h2>
      {rows.length === 0 ? (
        <p class="text-sm text-slate-600">No deals yet.</p>
      ) : (
        <ul class="space-y-2">
          {rows.map((d) => (
            <li key={d.id} class="text-sm">
              <a href={`/deals/${d.id}`} class="font-medium text-indigo-700 underline">
                {d.name}
              </a>
              <p class="text-slate-700">
                {money(d)} · {d.status === 'open' ? `${d.stage.name} (${d.stage.probability}%)` : d.status}
              </p>
            </li>
          ))}
        </ul>
      )}
      {more && <p class="mt-2 text-sm text-slate-600">Showing the newest {rows.length}.</p>}
    </section>
  );
}

function EditForm(props: { data: Data; company: Company; csrf: string; me: PageProps<Data>['me'] }) {
  const { company, data } = props;
  const edit = data.edit;
  return (
    <details class="card" open={Boolean(edit)}>
      <summary class="cursor-pointer font-semibold">Edit company</summary>
      <form method="post" class="mt-4 space-y-4" noValidate>
        <CsrfField csrf={props.csrf} />
        <input type="hidden" name="version" value={String(edit?.version ?? company.version)} />
        {edit?.conflict && (
          <Alert>
            {conflictMessage('company')}{' '}
            <a href={`/companies/${company.id}`} class="underline">
              Reload
            </a>
          </Alert>
        )}
        <CompanyFields
          values={edit?.values ?? valuesOfCompany(company)}
          error={edit?.conflict ? undefined : edit?.error}
          users={data.users}
          me={props.me}
        />
        <button type="submit" class="btn-primary">
          Save changes
        </button>
      </form>
    </details>
  );
}

export default function CompanyPage({ data, csrf, me }: PageProps<Data>) {
  const { company } = data;
  if (!company) return <NotFound what="Company" listHref="/companies" error={data.error} />;
  const can = (permission: string) => me?.permissions.includes(permission) ?? false;
  const display = displayOf(me);
  const owner = data.users.find((u) => u.id === company.ownerId);
  const address = company.address
    ? ['street', 'postalCode', 'city', 'region', 'country'].flatMap((k) => company.address?.[k] ?? []).join(', ')
    : null;
  return (
    <>
      <PageTitle>{company.name}</PageTitle>
      <p class="-mt-4 mb-4 text-sm">
        <a href="/companies" class="text-indigo-700 underline">
          All companies
        </a>
      </p>
      {data.notice && <Alert tone="info">{data.notice}</Alert>}
      <section class="card mt-4" aria-labelledby="details-heading">
        <h2 id="details-heading" class="mb-3 font-semibold">
          Details
        </h2>
        <dl class="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
          <Detail label="Domain" value={company.domain} />
          <Detail label="Industry" value={company.industry} />
          <Detail label="Size (employees)" value={company.size} />
          <Detail label="Owner" value={owner ? owner.name || owner.email : null} />
          <Detail label="Address" value={address} />
          <Detail label="Tags" value={company.tags.join(', ')} />
          <Detail label="Created" value={formatDay(company.createdAt, display)} />
        </dl>
      </section>
      <div class="mt-4">
        <ContactsCard company={company} contacts={data.contacts} canCreate={can('contacts:create')} />
      </div>
      <div class="mt-4 grid grid-cols-1 gap-4 lg:grid-cols-3">
        <TimelineCard items={timeline(data.activities, [], display)} display={display}>
          {can('activities:create') && (
            <div class="mb-4">
              <LogActivity subjectType="company" subjectId={company.id} />
            </div>
          )}
        </TimelineCard>
        <DealsCard deals={data.deals} />
      </div>
      {can('companies:update') && (
        <div class="mt-4">
          <EditForm data={data} company={company} csrf={csrf} me={me} />
        </div>
      )}
    </>
  );
}
