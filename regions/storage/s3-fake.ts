import type { S3Client } from '@aws-sdk/client-s3';

type Input = Record<string, unknown> & { Key: string; Body?: Uint8Array; UploadId?: string; PartNumber?: number };

const notFound = (name: string) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: 404 } });

/**
 * A few S3 operations in memory, answering like S3 does (404 names, multipart parts joined in order, the 5 MiB
 * minimum for every part but the last), so the adapter's own logic runs in tests without a server. It proves the
 * adapter's handling, not S3 compatibility: that needs TEST_S3_ENDPOINT.
 */
export function fakeS3Client(): S3Client & { objects: Map<string, Uint8Array> } {
  const objects = new Map<string, Uint8Array>();
  const uploads = new Map<string, Map<number, Uint8Array>>();
  let nextUpload = 0;
  const send = async (command: { constructor: { name: string }; input: Input }) => {
    const { input } = command;
    switch (command.constructor.name) {
      case 'PutObjectCommand':
        objects.set(input.Key, new Uint8Array(input.Body!));
        return {};
      case 'GetObjectCommand': {
        const bytes = objects.get(input.Key);
        if (!bytes) throw notFound('NoSuchKey');
        return { Body: { transformToWebStream: () => new Blob([bytes as Uint8Array<ArrayBuffer>]).stream() } };
      }
      case 'HeadObjectCommand': {
        const bytes = objects.get(input.Key);
        if (!bytes) throw notFound('NotFound');
        return { ContentLength: bytes.length };
      }
      case 'DeleteObjectCommand':
        objects.delete(input.Key);
        return {};
      case 'CreateMultipartUploadCommand': {
        const UploadId = `upload-${++nextUpload}`;
        uploads.set(UploadId, new Map());
        return { UploadId };
      }
      case 'UploadPartCommand':
        uploads.get(input.UploadId!)!.set(input.PartNumber!, new Uint8Array(input.Body!));
        return { ETag: `"${input.PartNumber}"` };
      case 'CompleteMultipartUploadCommand': {
        const parts = [...uploads.get(input.UploadId!)!.entries()].sort(([a], [b]) => a - b).map(([, p]) => p);
        if (parts.slice(0, -1).some((part) => part.length < 5 * 1024 * 1024)) throw new Error('EntityTooSmall');
        objects.set(input.Key, new Uint8Array(await new Blob(parts as Uint8Array<ArrayBuffer>[]).arrayBuffer()));
        uploads.delete(input.UploadId!);
        return {};
      }
      case 'AbortMultipartUploadCommand':
        uploads.delete(input.UploadId!);
        return {};
      default:
        throw new Error(`the fake S3 does not know ${command.constructor.name}`);
    }
  };
  return Object.assign({ send } as unknown as S3Client, { objects });
}
