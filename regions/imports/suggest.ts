import type { ImportEntity } from '../../openapi/schemas/imports.ts';
import type { ImportField } from './fields.ts';

/** A header as compared: lower-case ASCII letters and digits only ("E-mail Address" → "emailaddress"). */
export function normaliseHeader(header: string): string {
  return header
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

const person = {
  firstName: ['firstname', 'first', 'givenname', 'forename', 'fname', 'vorname', 'prenom'],
  lastName: ['lastname', 'last', 'surname', 'familyname', 'lname', 'nachname'],
  fullName: ['name', 'fullname', 'contactname', 'leadname', 'personname', 'contact', 'person'],
  email: ['email', 'emailaddress', 'mail', 'emailaddr', 'workemail', 'businessemail', 'contactemail', 'primaryemail'],
  phone: [
    'phone',
    'phonenumber',
    'telephone',
    'telephonenumber',
    'tel',
    'mobile',
    'mobilephone',
    'mobilenumber',
    'cell',
    'cellphone',
    'workphone',
    'businessphone',
  ],
  title: ['title', 'jobtitle', 'position', 'role', 'jobrole', 'designation', 'job'],
};

const synonyms: { [E in ImportEntity]: Partial<Record<ImportField<E>, string[]>> } = {
  lead: {
    ...person,
    company: [
      'company',
      'companyname',
      'organization',
      'organisation',
      'account',
      'accountname',
      'employer',
      'business',
    ],
    source: ['source', 'leadsource', 'channel', 'origin', 'utmsource'],
    status: ['status', 'leadstatus'],
  },
  contact: {
    ...person,
    lifecycleStage: ['lifecyclestage', 'lifecycle', 'stage'],
    tags: ['tags', 'tag', 'labels', 'label'],
    marketingEmailConsent: [
      'marketingemailconsent',
      'marketingconsent',
      'emailconsent',
      'consent',
      'optin',
      'emailoptin',
      'subscribed',
    ],
  },
  company: {
    name: ['name', 'companyname', 'company', 'organization', 'organisation', 'account', 'accountname', 'businessname'],
    domain: ['domain', 'website', 'web', 'url', 'site', 'homepage', 'companydomain', 'websiteurl', 'companywebsite'],
    industry: ['industry', 'sector', 'vertical'],
    size: ['size', 'companysize', 'employees', 'headcount', 'numberofemployees', 'employeecount'],
    tags: ['tags', 'tag', 'labels', 'label'],
    street: ['street', 'address', 'streetaddress', 'address1', 'addressline1', 'addressline'],
    city: ['city', 'town'],
    region: ['region', 'state', 'province', 'county', 'stateprovince', 'stateregion'],
    postalCode: ['postalcode', 'postcode', 'zip', 'zipcode', 'postal'],
    country: ['country', 'countrycode'],
  },
};

/**
 * A mapping to start from: each header whose normalised name is a field's name or a common synonym of it gets
 * that field, the first such header winning; the rest stay unmapped. The user corrects it with PATCH.
 */
export function suggestMapping(entity: ImportEntity, headers: readonly string[]): Record<string, string> {
  const byName = new Map<string, string>();
  for (const [field, names] of Object.entries(synonyms[entity]) as [string, string[]][]) {
    for (const name of [normaliseHeader(field), ...names]) if (!byName.has(name)) byName.set(name, field);
  }
  const mapping: Record<string, string> = {};
  const taken = new Set<string>();
  for (const header of headers) {
    const field = byName.get(normaliseHeader(header));
    if (field && !taken.has(field) && !(header in mapping)) {
      mapping[header] = field;
      taken.add(field);
    }
  }
  return mapping;
}
