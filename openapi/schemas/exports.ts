import { z } from '@hono/zod-openapi';
import { ActivityListQuery } from './activities.ts';
import { CompanyListQuery } from './companies.ts';
import { ContactListQuery } from './contacts.ts';
import { DealListQuery } from './deals.ts';
import { LeadListQuery, leadListOnly } from './leads.ts';

const withoutPaging = { limit: true, cursor: true } as const;

/** Each export takes exactly its list's filters; it pages by itself, so there is no limit or cursor. */
export const exportQueries = {
  leads: LeadListQuery.omit(leadListOnly),
  contacts: ContactListQuery.omit(withoutPaging),
  companies: CompanyListQuery.omit(withoutPaging),
  deals: DealListQuery.omit(withoutPaging),
  activities: ActivityListQuery.omit(withoutPaging),
};

export type ExportEntity = keyof typeof exportQueries;
export type ExportQuery<E extends ExportEntity> = z.infer<(typeof exportQueries)[E]>;

export const CsvFile = z.string().openapi({ description: 'CSV (RFC 4180), UTF-8 with a byte-order mark' });

export const exportExamples: Record<ExportEntity, string> = {
  leads:
    'id,firstName,lastName,email,phone,company,title,source,status,score,ownerId,tags,convertedAt,createdAt,updatedAt\n0193a5f4-3c4d-7e5f-8a6b-7c8d9e0f1a2b,Ada,Lovelace,ada@analytical.example,,Analytical Engines,Head of Research,referral,qualified,70,,,,2026-11-25T15:06:50.000Z,2026-11-25T15:06:50.000Z\n',
  contacts:
    'id,firstName,lastName,email,phone,title,lifecycleStage,companyId,ownerId,marketingEmailConsent,consentSource,consentGivenAt,tags,createdAt,updatedAt\n0193a5f8-7b8c-7d9e-8f0a-2b3c4d5e6f7a,Ada,Lovelace,ada@analytical.example,,Head of Research,customer,,,true,web_form,2026-11-25T15:06:50.000Z,vip;emea,2026-11-25T15:06:50.000Z,2026-11-25T15:06:50.000Z\n',
  companies:
    'id,name,domain,industry,size,street,city,region,postalCode,country,ownerId,tags,createdAt,updatedAt\n0193a5f7-6a7b-7c8d-9e0f-1a2b3c4d5e6f,Analytical Engines Ltd,analytical.example,Computing,51-200,12 Babbage Row,London,,EC1A 1BB,GB,,enterprise,2026-11-25T15:06:50.000Z,2026-11-25T15:06:50.000Z\n',
  deals:
    'id,name,amount,currency,status,pipelineId,stageId,expectedCloseDate,ownerId,contactId,companyId,closedAt,closeReason,tags,createdAt,updatedAt\n0193a5f9-8c9d-7e0f-9a1b-3c4d5e6f7a8b,Analytical Engines — 40 seats,12500.00,EUR,open,0193a5f7-6f70-7b8c-9d0e-1f2a3b4c5d6e,0193a5f7-6f71-7c8d-8e0f-2a3b4c5d6e7f,2026-12-31,,,,,,q4,2026-11-25T15:06:50.000Z,2026-11-25T15:06:50.000Z\n',
  activities:
    'id,type,subject,body,priority,done,dueAt,completedAt,ownerId,leadId,contactId,companyId,dealId,createdAt,updatedAt\n0193a5fa-9d0e-7f1a-8b2c-4d5e6f7a8b9c,task,Send the proposal,,high,false,2026-12-01T09:00:00.000Z,,,,,,,2026-11-25T15:06:50.000Z,2026-11-25T15:06:50.000Z\n',
};
