import { readFileSync } from 'node:fs';
import { signSamlPost } from '@node-saml/node-saml/lib/saml-post-signing.js';

/**
 * A SAML IdP for the tests: a key pair made with openssl once for them (fixtures/, test-only) and a second key the
 * IdP never had; responses are built as an IdP posts them and signed on the assertion with xml-crypto
 * (through node-saml's signer).
 */
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
export const IDP_KEY = fixture('test-idp-key.pem');
export const IDP_CERT = fixture('test-idp-cert.pem');
export const OTHER_KEY = fixture('other-key.pem');
export const IDP_ENTITY = 'https://idp.test.example/metadata';
export const IDP_SSO_URL = 'https://idp.test.example/sso';
const ASSERTION_XPATH = "/*[local-name(.)='Response']/*[local-name(.)='Assertion']";

const iso = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
const randomId = () => `_${Math.random().toString(16).slice(2)}${Math.random().toString(16).slice(2)}`;

export type ResponseOptions = {
  email: string;
  requestId: string;
  acsUrl: string;
  audience: string;
  notOnOrAfter?: string;
  assertionId?: string;
};

export function samlResponseXml(o: ResponseOptions) {
  const until = o.notOnOrAfter ?? iso(5 * 60_000);
  return `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${randomId()}" Version="2.0" IssueInstant="${iso(0)}" Destination="${o.acsUrl}" InResponseTo="${o.requestId}"><saml:Issuer>${IDP_ENTITY}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><saml:Assertion ID="${o.assertionId ?? randomId()}" Version="2.0" IssueInstant="${iso(0)}"><saml:Issuer>${IDP_ENTITY}</saml:Issuer><saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${o.email}</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData InResponseTo="${o.requestId}" NotOnOrAfter="${until}" Recipient="${o.acsUrl}"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="${iso(-60_000)}" NotOnOrAfter="${until}"><saml:AudienceRestriction><saml:Audience>${o.audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AuthnStatement AuthnInstant="${iso(0)}" SessionIndex="_s1"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement><saml:AttributeStatement><saml:Attribute Name="email"><saml:AttributeValue>${o.email}</saml:AttributeValue></saml:Attribute><saml:Attribute Name="name"><saml:AttributeValue>Test Person</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion></samlp:Response>`;
}

export const signAssertion = (xml: string, key = IDP_KEY) =>
  signSamlPost(xml, ASSERTION_XPATH, { privateKey: key, signatureAlgorithm: 'sha256', digestAlgorithm: 'sha256' });

export const iso8601 = iso;
