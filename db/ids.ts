import { v7 } from 'uuid';

/** Ids are UUIDv7, made by the application: time-ordered, so keyset pages and indexes stay append-mostly. */
export const newId = (): string => v7();
