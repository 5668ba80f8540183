import type { ComponentChildren } from 'preact';
import {
  allowed,
  errorFor,
  generalError,
  NoAccess,
  Outcome,
  roleLabels,
  SelectField,
  SettingsShell,
  TextField,
} from '../../web/components/settings.tsx';
import { Alert, CsrfField } from '../../web/components/ui.tsx';
import type { Handlers, PageProps, RouteContext } from '../../web/route.ts';
import { type Failed, runSsoAction, type SsoConnection, type SsoDomain } from '../../web/sso-settings.ts';

type Data = {
  connections: SsoConnection[];
  domains: SsoDomain[];
  notice?: string;
  failed?: Failed;
  forbidden?: boolean;
};

const title = 'Single sign-on';
const roles = Object.entries(roleLabels) as [string, string][];

async function load(ctx: RouteContext<Data>, extra: Partial<Data> = {}, status = 200) {
  if (!allowed(ctx.me, '/settings/sso')) {
    return ctx.render({ connections: [], domains: [], forbidden: true }, { title, status: 403 });
  }
  const [connections, domains] = await Promise.all([
    ctx.api<{ data: SsoConnection[] }>('/api/v1/sso/connections'),
    ctx.api<{ data: SsoDomain[] }>('/api/v1/sso/domains'),
  ]);
  const data: Data = {
    connections: connections.ok ? connections.data.data : [],
    domains: domains.ok ? domains.data.data : [],
    ...extra,
  };
  return ctx.render(data, { title, status });
}

export const handler: Handlers<Data> = {
  GET: (ctx) => load(ctx),
  async POST(ctx) {
    if (!allowed(ctx.me, '/settings/sso')) return load(ctx);
    const outcome = await runSsoAction(ctx.api, await ctx.form());
    return load(ctx, outcome, outcome.failed ? outcome.failed.error.status : 200);
  },
};

/**
 * The settings form of a connection's or a domain's card: its id, its fields (checkboxes as `CardCheckbox`), then
 * Save and Remove, each posting its own `intent`.
 */
function CardForm(props: { id: string; csrf: string; save: string; remove: string; children: ComponentChildren }) {
  return (
    <form method="post" class="flex flex-wrap items-end gap-3">
      <CsrfField csrf={props.csrf} />
      <input type="hidden" name="id" value={props.id} />
      {props.children}
      <button type="submit" name="intent" value={props.save} class="btn-secondary">
        Save
      </button>
      <button type="submit" name="intent" value={props.remove} class="btn-secondary">
        Remove
      </button>
    </form>
  );
}

function CardCheckbox(props: { name: string; checked: boolean; disabled?: boolean; children: ComponentChildren }) {
  return (
    <label class="flex items-center gap-2 text-sm">
      <input type="checkbox" name={props.name} class="h-4 w-4" checked={props.checked} disabled={props.disabled} />{' '}
      {props.children}
    </label>
  );
}

function ConnectionCard(props: { connection: SsoConnection; csrf: string; failed?: Failed }) {
  const { connection: c, csrf, failed } = props;
  const key = `connection-${c.id}`;
  return (
    <li class="card space-y-3">
      <h3 class="font-semibold">
        {c.name}{' '}
        <span class="text-sm font-normal text-slate-600">
          ({c.protocol === 'oidc' ? 'OpenID Connect' : 'SAML 2.0'})
        </span>
      </h3>
      {generalError(failed, key, []) && <Alert>{generalError(failed, key, [])}</Alert>}
      <dl class="grid grid-cols-1 gap-1 text-sm sm:grid-cols-[max-content_1fr] sm:gap-x-4">
        {c.oidc && (
          <>
            <dt class="text-slate-600">Issuer</dt>
            <dd class="break-all">{c.oidc.issuer}</dd>
            <dt class="text-slate-600">Redirect URI to register</dt>
            <dd class="break-all font-mono">{c.oidc.redirectUri}</dd>
          </>
        )}
        {c.saml && (
          <>
            <dt class="text-slate-600">IdP entity id</dt>
            <dd class="break-all">{c.saml.idpEntityId}</dd>
            <dt class="text-slate-600">Our entity id (audience)</dt>
            <dd class="break-all font-mono">{c.saml.spEntityId}</dd>
            <dt class="text-slate-600">ACS URL</dt>
            <dd class="break-all font-mono">{c.saml.acsUrl}</dd>
            <dt class="text-slate-600">Metadata URL (public, for the IdP)</dt>
            <dd class="break-all font-mono">{c.saml.metadataUrl}</dd>
          </>
        )}
      </dl>
      <CardForm id={c.id} csrf={csrf} save="update-connection" remove="delete-connection">
        <CardCheckbox name="enabled" checked={c.enabled}>
          Enabled
        </CardCheckbox>
        <CardCheckbox name="jitProvisioning" checked={c.jitProvisioning}>
          Create users at first sign-in
        </CardCheckbox>
        <SelectField id={`role-${c.id}`} name="defaultRole" label="Their role" value={c.defaultRole} options={roles} />
      </CardForm>
    </li>
  );
}

function DomainCard(props: { domain: SsoDomain; connections: SsoConnection[]; csrf: string; failed?: Failed }) {
  const { domain: d, csrf, failed } = props;
  const key = `domain-${d.id}`;
  const options: [string, string][] = [
    ['', 'First enabled connection'],
    ...props.connections.map((c) => [c.id, c.name] as [string, string]),
  ];
  return (
    <li class="card space-y-3">
      <h3 class="font-semibold">
        {d.domain}{' '}
        <span class="text-sm font-normal text-slate-600">{d.verified ? '(verified)' : '(not verified)'}</span>
      </h3>
      {generalError(failed, key, []) && <Alert>{generalError(failed, key, [])}</Alert>}
      {!d.verified && (
        <form method="post" class="space-y-2 text-sm">
          <CsrfField csrf={csrf} />
          <input type="hidden" name="id" value={d.id} />
          {d.verificationMethod === 'dns_txt' ? (
            <p>
              Publish a TXT record <code class="break-all">{d.dnsRecord.name}</code> with the value{' '}
              <code class="break-all">{d.dnsRecord.value}</code>, then verify.
            </p>
          ) : (
            <label class="flex items-center gap-2">
              <input type="checkbox" name="confirm" class="h-4 w-4" /> I confirm our organization owns this domain
            </label>
          )}
          <button type="submit" name="intent" value="verify-domain" class="btn-secondary">
            Verify
          </button>
        </form>
      )}
      <CardForm id={d.id} csrf={csrf} save="update-domain" remove="remove-domain">
        <CardCheckbox name="requireSso" checked={d.requireSso} disabled={!d.verified}>
          Require SSO (no passwords for this domain)
        </CardCheckbox>
        <SelectField
          id={`conn-${d.id}`}
          name="connectionId"
          label="Connection"
          value={d.connectionId}
          options={options}
        />
      </CardForm>
    </li>
  );
}

export default function SsoSettings({ data, csrf, me }: PageProps<Data>) {
  const { failed } = data;
  if (data.forbidden) {
    return (
      <SettingsShell me={me} current="/settings/sso" title={title}>
        <NoAccess what="single sign-on" />
      </SettingsShell>
    );
  }
  const add = 'add-connection';
  return (
    <SettingsShell me={me} current="/settings/sso" title={title}>
      <div class="space-y-6">
        <Outcome notice={data.notice} />
        <section aria-labelledby="sso-connections" class="space-y-3">
          <h2 id="sso-connections" class="text-lg font-semibold">
            Connections
          </h2>
          {data.connections.length === 0 && <p class="text-sm text-slate-700">No connection yet.</p>}
          <ul class="space-y-3">
            {data.connections.map((c) => (
              <ConnectionCard key={c.id} connection={c} csrf={csrf} failed={failed} />
            ))}
          </ul>
          <form method="post" class="card grid grid-cols-1 gap-3 sm:grid-cols-2">
            <CsrfField csrf={csrf} />
            <h3 class="font-semibold sm:col-span-2">Add a connection</h3>
            {generalError(failed, add, ['name', 'oidc', 'saml']) && (
              <div class="sm:col-span-2">
                <Alert>{generalError(failed, add, ['name', 'oidc', 'saml'])}</Alert>
              </div>
            )}
            <SelectField
              id="new-protocol"
              name="protocol"
              label="Protocol"
              options={[
                ['oidc', 'OpenID Connect'],
                ['saml', 'SAML 2.0'],
              ]}
            />
            <TextField id="new-name" name="name" label="Name" error={errorFor(failed, add, 'name')} />
            <SelectField id="new-role" name="defaultRole" label="Role of new users" value="sales_rep" options={roles} />
            <TextField
              id="new-issuer"
              name="issuer"
              label="OIDC issuer URL"
              error={errorFor(failed, add, 'oidc.issuer')}
            />
            <TextField
              id="new-client-id"
              name="clientId"
              label="OIDC client id"
              error={errorFor(failed, add, 'oidc.clientId')}
            />
            <TextField
              id="new-client-secret"
              name="clientSecret"
              type="password"
              label="OIDC client secret"
              error={errorFor(failed, add, 'oidc.clientSecret')}
            />
            <TextField
              id="new-idp-entity"
              name="idpEntityId"
              label="SAML IdP entity id"
              error={errorFor(failed, add, 'saml.idpEntityId')}
            />
            <TextField
              id="new-idp-url"
              name="idpSsoUrl"
              label="SAML IdP sign-on URL"
              error={errorFor(failed, add, 'saml.idpSsoUrl')}
            />
            <div class="sm:col-span-2">
              <label for="new-idp-cert" class="label">
                SAML IdP signing certificate (PEM)
              </label>
              <textarea id="new-idp-cert" name="idpCertificate" rows={4} class="input font-mono" />
              {errorFor(failed, add, 'saml.idpCertificate') && (
                <p class="field-error">{errorFor(failed, add, 'saml.idpCertificate')}</p>
              )}
            </div>
            <button type="submit" name="intent" value={add} class="btn-primary sm:col-span-2">
              Add connection
            </button>
          </form>
        </section>
        <section aria-labelledby="sso-domains" class="space-y-3">
          <h2 id="sso-domains" class="text-lg font-semibold">
            Email domains
          </h2>
          <ul class="space-y-3">
            {data.domains.map((d) => (
              <DomainCard key={d.id} domain={d} connections={data.connections} csrf={csrf} failed={failed} />
            ))}
          </ul>
          <form method="post" class="card flex flex-wrap items-end gap-3">
            <CsrfField csrf={csrf} />
            <TextField id="new-domain" name="domain" label="Domain" error={errorFor(failed, 'add-domain', 'domain')} />
            <SelectField
              id="new-method"
              name="verificationMethod"
              label="Verify by"
              options={[
                ['dns_txt', 'DNS TXT record'],
                ['admin', 'My confirmation'],
              ]}
            />
            <button type="submit" name="intent" value="add-domain" class="btn-primary">
              Add domain
            </button>
          </form>
          {generalError(failed, 'add-domain', ['domain']) && (
            <Alert>{generalError(failed, 'add-domain', ['domain'])}</Alert>
          )}
        </section>
      </div>
    </SettingsShell>
  );
}
