import type { ApiCaller, ApiFailure } from './api.ts';

export type SsoConnection = {
  id: string;
  protocol: 'oidc' | 'saml';
  name: string;
  enabled: boolean;
  defaultRole: string;
  jitProvisioning: boolean;
  oidc: { issuer: string; clientId: string; redirectUri: string } | null;
  saml: { idpEntityId: string; idpSsoUrl: string; spEntityId: string; acsUrl: string; metadataUrl: string } | null;
};
export type SsoDomain = {
  id: string;
  domain: string;
  verificationMethod: 'dns_txt' | 'admin';
  dnsRecord: { name: string; value: string };
  verified: boolean;
  requireSso: boolean;
  connectionId: string | null;
};
export type Failed = { key: string; error: ApiFailure };

const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

/** The body of a new connection from the page's one form, by the protocol picked. */
function connectionBody(form: FormData) {
  const protocol = text(form, 'protocol') === 'saml' ? 'saml' : 'oidc';
  const base = { protocol, name: text(form, 'name'), defaultRole: text(form, 'defaultRole') || 'sales_rep' };
  return protocol === 'oidc'
    ? {
        ...base,
        oidc: {
          issuer: text(form, 'issuer'),
          clientId: text(form, 'clientId'),
          clientSecret: text(form, 'clientSecret'),
        },
      }
    : {
        ...base,
        saml: {
          idpEntityId: text(form, 'idpEntityId'),
          idpSsoUrl: text(form, 'idpSsoUrl'),
          idpCertificate: String(form.get('idpCertificate') ?? ''),
        },
      };
}

/**
 * Runs the settings page's action (`intent`) against the API; answers the notice to show, or what failed (its
 * `key` names the form, so the error shows beside it).
 */
export async function runSsoAction(api: ApiCaller, form: FormData): Promise<{ notice?: string; failed?: Failed }> {
  const intent = text(form, 'intent');
  const id = encodeURIComponent(text(form, 'id'));
  const call = async (key: string, path: string, method: string, body: unknown, notice: string) => {
    const answer = await api(path, { method, body });
    return answer.ok ? { notice } : { failed: { key, error: answer.error } };
  };
  switch (intent) {
    case 'add-connection':
      return call('add-connection', '/api/v1/sso/connections', 'POST', connectionBody(form), 'Connection added.');
    case 'update-connection':
      return call(
        `connection-${id}`,
        `/api/v1/sso/connections/${id}`,
        'PATCH',
        {
          enabled: form.get('enabled') === 'on',
          jitProvisioning: form.get('jitProvisioning') === 'on',
          defaultRole: text(form, 'defaultRole'),
        },
        'Connection saved.',
      );
    case 'delete-connection':
      return call(`connection-${id}`, `/api/v1/sso/connections/${id}`, 'DELETE', undefined, 'Connection removed.');
    case 'add-domain':
      return call(
        'add-domain',
        '/api/v1/sso/domains',
        'POST',
        { domain: text(form, 'domain'), verificationMethod: text(form, 'verificationMethod') || 'dns_txt' },
        'Domain added; verify it next.',
      );
    case 'verify-domain':
      return call(
        `domain-${id}`,
        `/api/v1/sso/domains/${id}/verify`,
        'POST',
        form.get('confirm') === 'on' ? { confirm: true } : {},
        'Domain verified.',
      );
    case 'update-domain':
      return call(
        `domain-${id}`,
        `/api/v1/sso/domains/${id}`,
        'PATCH',
        { requireSso: form.get('requireSso') === 'on', connectionId: text(form, 'connectionId') || null },
        'Domain saved.',
      );
    case 'remove-domain':
      return call(`domain-${id}`, `/api/v1/sso/domains/${id}`, 'DELETE', undefined, 'Domain removed.');
    default:
      return {};
  }
}
