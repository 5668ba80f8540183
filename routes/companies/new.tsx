import type { ApiFailure } from '../../web/api.ts';
import {
  CompanyFields,
  type CompanyValues,
  companyBody,
  companyValuesOfForm,
  valuesOfCompany,
} from '../../web/components/company-form.tsx';
import { loadUsers, type UserOption } from '../../web/components/records.tsx';
import { CsrfField, PageTitle } from '../../web/components/ui.tsx';
import type { Handlers, PageProps, RouteContext } from '../../web/route.ts';

type Data = { values: CompanyValues; users: UserOption[]; error?: ApiFailure };

async function show(ctx: RouteContext<Data>, values: CompanyValues, error?: ApiFailure) {
  const users = await loadUsers(ctx.api);
  return ctx.render({ values, users, error }, { title: 'New company', status: error?.status ?? 200 });
}

export const handler: Handlers<Data> = {
  GET: (ctx) =>
    show(
      ctx,
      valuesOfCompany({
        name: '',
        domain: null,
        industry: null,
        size: null,
        ownerId: ctx.me?.user?.id ?? null,
        tags: [],
        address: null,
      }),
    ),
  async POST(ctx) {
    const values = companyValuesOfForm(await ctx.form());
    const answer = await ctx.api<{ id: string }>('/api/v1/companies', {
      method: 'POST',
      body: companyBody(values, true),
    });
    if (!answer.ok) return show(ctx, values, answer.error);
    return ctx.redirect(`/companies/${answer.data.id}?created=1`);
  },
};

export default function NewCompany({ data, csrf, me }: PageProps<Data>) {
  return (
    <>
      <PageTitle>New company</PageTitle>
      <form method="post" action="/companies/new" class="card max-w-2xl space-y-4" noValidate>
        <CsrfField csrf={csrf} />
        <CompanyFields values={data.values} error={data.error} users={data.users} me={me} />
        <div class="flex gap-2">
          <button type="submit" class="btn-primary">
            Create company
          </button>
          <a href="/companies" class="btn-secondary">
            Cancel
          </a>
        </div>
      </form>
    </>
  );
}
