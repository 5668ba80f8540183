import type { ApiFailure } from '../../web/api.ts';
import { ContactFields, type ContactValues, contactBody, valuesOfForm } from '../../web/components/contact-form.tsx';
import { type CompanyOption, loadCompanyOptions, loadUsers, type UserOption } from '../../web/components/records.tsx';
import { CsrfField, PageTitle } from '../../web/components/ui.tsx';
import type { Handlers, PageProps, RouteContext } from '../../web/route.ts';

type Data = { values: ContactValues; users: UserOption[]; companies: CompanyOption[]; error?: ApiFailure };

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const blank = (ctx: RouteContext<Data>): ContactValues => {
  const company = ctx.url.searchParams.get('companyId') ?? '';
  return {
    firstName: '',
    lastName: '',
    email: '',
    phone: '',
    title: '',
    lifecycleStage: 'lead',
    companyId: uuid.test(company) ? company : '',
    ownerId: ctx.me?.user?.id ?? '',
    tags: '',
    marketingEmailConsent: false,
    consentSource: '',
  };
};

async function show(ctx: RouteContext<Data>, values: ContactValues, error?: ApiFailure) {
  const [users, companies] = await Promise.all([loadUsers(ctx.api), loadCompanyOptions(ctx.api, values.companyId)]);
  return ctx.render({ values, users, companies, error }, { title: 'New contact', status: error?.status ?? 200 });
}

export const handler: Handlers<Data> = {
  GET: (ctx) => show(ctx, blank(ctx)),
  async POST(ctx) {
    const values = valuesOfForm(await ctx.form());
    const answer = await ctx.api<{ id: string }>('/api/v1/contacts', {
      method: 'POST',
      body: contactBody(values, false, true),
    });
    if (!answer.ok) return show(ctx, values, answer.error);
    return ctx.redirect(`/contacts/${answer.data.id}?created=1`);
  },
};

export default function NewContact({ data, csrf, me }: PageProps<Data>) {
  return (
    <>
      <PageTitle>New contact</PageTitle>
      <form method="post" action="/contacts/new" class="card max-w-2xl space-y-4" noValidate>
        <CsrfField csrf={csrf} />
        <ContactFields values={data.values} error={data.error} users={data.users} companies={data.companies} me={me} />
        <div class="flex gap-2">
          <button type="submit" class="btn-primary">
            Create contact
          </button>
          <a href="/contacts" class="btn-secondary">
            Cancel
          </a>
        </div>
      </form>
    </>
  );
}
