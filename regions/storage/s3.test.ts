import { S3Client } from '@aws-sdk/client-s3';
import { describeFileStorageContract } from './contract.ts';
import { S3Storage } from './s3.ts';
import { fakeS3Client } from './s3-fake.ts';

// The adapter's own logic (single puts, multipart parts, aborts, 404s) against an in-memory stand-in for S3.
describeFileStorageContract('S3Storage on an in-memory S3', () => {
  const client = fakeS3Client();
  return new S3Storage({ bucket: 'fake', region: 'us-east-1', client });
});

/*
 * No S3 or MinIO server exists on this machine, so this run is skipped here: set TEST_S3_ENDPOINT (for example a
 * local MinIO at http://127.0.0.1:9000) with TEST_S3_BUCKET and AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY to run the
 * same contract the filesystem adapter passes against a real server.
 */
const endpoint = process.env.TEST_S3_ENDPOINT;

describeFileStorageContract(
  'S3Storage on a real server',
  () =>
    new S3Storage({
      bucket: process.env.TEST_S3_BUCKET ?? 'crm-test',
      region: process.env.TEST_S3_REGION ?? 'us-east-1',
      client: new S3Client({ region: process.env.TEST_S3_REGION ?? 'us-east-1', endpoint, forcePathStyle: true }),
    }),
  !endpoint,
);
