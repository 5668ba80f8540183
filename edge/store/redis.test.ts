import { afterAll } from 'vitest';
import { describeKeyValueStoreContract } from './contract.ts';
import { RedisStore } from './redis.ts';

// `npm test` sets TEST_REDIS_URL when a Redis answers on 127.0.0.1 (always in CI) and says so when none does.
const url = process.env.TEST_REDIS_URL;
const opened: RedisStore[] = [];
afterAll(() => Promise.all(opened.map((store) => store.close())));

describeKeyValueStoreContract(
  'RedisStore',
  () => {
    const store = new RedisStore(url!, `crm-test:${process.pid}:`);
    opened.push(store);
    return store;
  },
  !url,
);
