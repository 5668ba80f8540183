/** Enumerations of the CRM records, free of imports so the edge's contract can use them too. */
export const lifecycleStages = ['subscriber', 'lead', 'opportunity', 'customer', 'evangelist'] as const;
export const companySizes = ['1-10', '11-50', '51-200', '201-1000', '1001-5000', '5001+'] as const;
export const stageKinds = ['open', 'won', 'lost'] as const;
export const dealStatuses = ['open', 'won', 'lost'] as const;
export const activityTypes = ['task', 'call', 'meeting', 'note', 'email'] as const;
export const activityPriorities = ['low', 'normal', 'high'] as const;
export const customFieldEntities = ['lead', 'contact', 'company', 'deal'] as const;
export const customFieldTypes = ['text', 'number', 'date', 'select', 'multi_select', 'boolean'] as const;
