import type { PublicOperation } from './operation.ts';
import { activityOperations } from './routes/activities/index.ts';
import { analyticsOperations } from './routes/analytics/index.ts';
import { apiKeyOperations } from './routes/api-keys/index.ts';
import { assignmentRuleOperations } from './routes/assignment-rules/index.ts';
import { attachmentOperations } from './routes/attachments/index.ts';
import { auditOperations } from './routes/audit/index.ts';
import { authOperations } from './routes/auth/index.ts';
import { batchOperations } from './routes/batch/index.ts';
import { bulkOperations } from './routes/bulk/index.ts';
import { bulkJobOperations } from './routes/bulk-jobs/index.ts';
import { companyOperations } from './routes/companies/index.ts';
import { contactOperations } from './routes/contacts/index.ts';
import { customFieldOperations } from './routes/custom-fields/index.ts';
import { dealOperations } from './routes/deals/index.ts';
import { emailOperations } from './routes/emails/index.ts';
import { exportOperations } from './routes/exports/index.ts';
import { formOperations } from './routes/forms/index.ts';
import { importOperations } from './routes/imports/index.ts';
import { jobOperations } from './routes/jobs/index.ts';
import { leadOperations } from './routes/leads/index.ts';
import { mfaOperations } from './routes/mfa/index.ts';
import { notificationOperations } from './routes/notifications/index.ts';
import { pipelineOperations } from './routes/pipelines/index.ts';
import { privacyOperations } from './routes/privacy/index.ts';
import { savedViewOperations } from './routes/saved-views/index.ts';
import { scoringRuleOperations } from './routes/scoring-rules/index.ts';
import { searchOperations } from './routes/search/index.ts';
import { sessionOperations } from './routes/sessions/index.ts';
import { ssoOperations } from './routes/sso/index.ts';
import { userOperations } from './routes/users/index.ts';
import { watchOperations } from './routes/watches/index.ts';
import { webhookOperations } from './routes/webhooks/index.ts';
import { workflowOperations } from './routes/workflows/index.ts';

export type { PublicOperation, Target } from './operation.ts';

/** Every public operation; the edge serves and the OpenAPI document describes exactly this list. */
export const publicOperations: PublicOperation[] = [
  ...authOperations,
  ...mfaOperations,
  ...ssoOperations,
  ...leadOperations,
  ...searchOperations,
  ...companyOperations,
  ...contactOperations,
  ...pipelineOperations,
  ...dealOperations,
  ...activityOperations,
  ...auditOperations,
  ...analyticsOperations,
  ...userOperations,
  ...sessionOperations,
  ...apiKeyOperations,
  ...attachmentOperations,
  ...importOperations,
  ...exportOperations,
  ...privacyOperations,
  ...customFieldOperations,
  ...savedViewOperations,
  ...batchOperations,
  ...bulkOperations,
  ...bulkJobOperations,
  ...notificationOperations,
  ...emailOperations,
  ...assignmentRuleOperations,
  ...scoringRuleOperations,
  ...webhookOperations,
  ...formOperations,
  ...watchOperations,
  ...workflowOperations,
  ...jobOperations,
];
