import { errorResponse } from '../../schemas/common.ts';
import { errorExample } from '../../schemas/examples.ts';

/** The refusals an upload route adds to the usual ones: a file too large, of a type not accepted. */
export const uploadRefusals = (what: string, types: string) => ({
  413: errorResponse(`The ${what} is larger than this region accepts`, {
    payload_too_large: {
      summary: 'Over the size limit',
      value: errorExample('payload_too_large', `The ${what} is larger than 10485760 bytes`),
    },
  }),
  415: errorResponse(`Not multipart/form-data, or the ${what} is not of an accepted type`, {
    unsupported_media_type: {
      summary: 'Type not accepted',
      value: errorExample('unsupported_media_type', `Accepted: ${types}`),
    },
  }),
});

export const attachmentTypesText = 'PDF, PNG/JPEG/GIF/WebP images, plain text, CSV, Word/Excel/PowerPoint/OpenDocument';
