import type { ImportEntity } from '../../openapi/schemas/imports.ts';
import { customFieldTarget } from './custom-fields.ts';
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

/** What a custom field offers to be recognised by: its key (`industry_tier`) and its label (`Industry tier`). */
export type SuggestableCustomField = { key: string; label: string };

/**
 * A mapping to start from: each header gets the field it names, the first such header winning; the rest stay
 * unmapped, and the user corrects it with PATCH. A header names, in this order of precedence: a built-in field by
 * its own name ("Email"), a custom field by its key or label ("Industry tier" → `cf.industry_tier`), a built-in
 * field by a common synonym ("E-mail Address"): a field the organization defined beats a guess.
 */
export function suggestMapping(
  entity: ImportEntity,
  headers: readonly string[],
  customFields: readonly SuggestableCustomField[] = [],
): Record<string, string> {
  const byOwnName = new Map<string, string>();
  const byCustomName = new Map<string, string>();
  const bySynonym = new Map<string, string>();
  const remember = (names: Map<string, string>, name: string, target: string) => {
    if (name && !names.has(name)) names.set(name, target);
  };
  for (const [field, names] of Object.entries(synonyms[entity]) as [string, string[]][]) {
    remember(byOwnName, normaliseHeader(field), field);
    for (const name of names) remember(bySynonym, name, field);
  }
  for (const { key, label } of customFields) {
    remember(byCustomName, normaliseHeader(key), customFieldTarget(key));
    remember(byCustomName, normaliseHeader(label), customFieldTarget(key));
  }
  const mapping: Record<string, string> = {};
  const taken = new Set<string>();
  for (const header of headers) {
    const name = normaliseHeader(header);
    const field = byOwnName.get(name) ?? byCustomName.get(name) ?? bySynonym.get(name);
    if (field && !taken.has(field) && !(header in mapping)) {
      mapping[header] = field;
      taken.add(field);
    }
  }
  return mapping;
}
