export * from './accounts.ts';
export * from './crm.ts';
export * from './dispatch.ts';
export * from './events.ts';
export * from './leads.ts';
export * from './messaging.ts';
export * from './webhooks.ts';
