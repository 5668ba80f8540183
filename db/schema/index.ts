export * from './accounts.ts';
export * from './crm.ts';
export * from './events.ts';
export * from './leads.ts';
