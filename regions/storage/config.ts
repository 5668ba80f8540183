import { join } from 'node:path';
import { FsStorage } from './fs.ts';
import type { FileStorage } from './port.ts';
import { S3Storage } from './s3.ts';

export type StorageConfig =
  | { kind: 'fs'; root: string }
  | { kind: 's3'; bucket: string; region: string; endpoint?: string };

/** Where a region's files go and how large an upload may be. */
export type FilesConfig = {
  storage: StorageConfig;
  /** Largest attachment, in bytes (ATTACHMENT_MAX_BYTES, default 10 MiB); larger ones get 413. */
  attachmentMaxBytes: number;
  /** Largest CSV to import, in bytes (IMPORT_MAX_BYTES, default 128 MiB); larger ones get 413. */
  importMaxBytes: number;
};

const MiB = 1024 * 1024;

function bytes(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a whole number of bytes`);
  return n;
}

/** `STORAGE=fs` (default: `$DATA_DIR/<region>/files`) or `STORAGE=s3` with S3_BUCKET, S3_REGION and S3_ENDPOINT. */
export function filesConfigFromEnv(env: NodeJS.ProcessEnv, dataDir: string, region: string): FilesConfig {
  const kind = env.STORAGE ?? 'fs';
  let storage: StorageConfig;
  if (kind === 'fs') {
    storage = { kind: 'fs', root: join(dataDir, region, 'files') };
  } else if (kind === 's3') {
    if (!env.S3_BUCKET) throw new Error('STORAGE=s3 needs S3_BUCKET');
    storage = {
      kind: 's3',
      bucket: env.S3_BUCKET,
      region: env.S3_REGION || env.AWS_REGION || 'us-east-1',
      endpoint: env.S3_ENDPOINT || undefined,
    };
  } else {
    throw new Error('STORAGE must be fs or s3');
  }
  return {
    storage,
    attachmentMaxBytes: bytes(env.ATTACHMENT_MAX_BYTES, 10 * MiB, 'ATTACHMENT_MAX_BYTES'),
    importMaxBytes: bytes(env.IMPORT_MAX_BYTES, 128 * MiB, 'IMPORT_MAX_BYTES'),
  };
}

/** What a region uses when its config names no files settings (tests, embedded callers). */
export const defaultFilesConfig = (dataDir: string, region: string): FilesConfig =>
  filesConfigFromEnv({}, dataDir, region);

export function openStorage(config: StorageConfig): FileStorage {
  return config.kind === 'fs'
    ? new FsStorage(config.root)
    : new S3Storage({ bucket: config.bucket, region: config.region, endpoint: config.endpoint });
}
