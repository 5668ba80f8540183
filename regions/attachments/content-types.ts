/**
 * What may be attached: documents people exchange with customers. No HTML, SVG or scripts: they would be
 * active content on this origin if a browser ever rendered one (downloads also carry nosniff and `attachment`).
 */
const accepted: Record<string, readonly string[]> = {
  'application/pdf': ['pdf'],
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
  'text/plain': ['txt', 'text', 'log', 'md'],
  'text/csv': ['csv'],
  'application/msword': ['doc'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['docx'],
  'application/vnd.ms-excel': ['xls'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['xlsx'],
  'application/vnd.ms-powerpoint': ['ppt'],
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': ['pptx'],
  'application/vnd.oasis.opendocument.text': ['odt'],
  'application/vnd.oasis.opendocument.spreadsheet': ['ods'],
  'application/vnd.oasis.opendocument.presentation': ['odp'],
};

const byExtension = new Map(Object.entries(accepted).flatMap(([type, exts]) => exts.map((ext) => [ext, type])));

/** Clients label files loosely; these mean "I don't know", so the extension decides. */
const unlabelled = new Set(['', 'application/octet-stream', 'binary/octet-stream', 'application/x-unknown']);

/** Magic numbers of the binary image and PDF types, so a file labelled as one must start like one. */
const signatures: Record<string, (b: Uint8Array) => boolean> = {
  'application/pdf': (b) => startsWith(b, [0x25, 0x50, 0x44, 0x46]),
  'image/png': (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'image/jpeg': (b) => startsWith(b, [0xff, 0xd8, 0xff]),
  'image/gif': (b) => startsWith(b, [0x47, 0x49, 0x46, 0x38]),
  'image/webp': (b) => startsWith(b, [0x52, 0x49, 0x46, 0x46]) && startsWith(b.subarray(8), [0x57, 0x45, 0x42, 0x50]),
};

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, i) => bytes[i] === byte);
}

export const acceptedTypes = Object.keys(accepted);

/**
 * The type to store a file under, or null when it is not accepted: the declared type's essence (parameters and
 * case dropped), or, when the client declared none or a generic one, the type the filename's extension names.
 * `head` is the file's first bytes: a PDF or image must start with its format's signature.
 */
export function acceptedContentType(declared: string, filename: string, head: Uint8Array): string | null {
  const essence = declared.split(';')[0]!.trim().toLowerCase();
  const extension = /\.([A-Za-z0-9]+)$/.exec(filename)?.[1]?.toLowerCase() ?? '';
  const type = unlabelled.has(essence) ? byExtension.get(extension) : essence;
  if (!type || !accepted[type]) return null;
  const signature = signatures[type];
  return signature && !signature(head) ? null : type;
}

/**
 * A filename safe to store and to put back in a Content-Disposition header: the last path segment only, without
 * control characters or quotes, at most 200 characters; `file` when nothing is left.
 */
export function safeFilename(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
  const cleaned = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  const chars = [...cleaned];
  const short = chars.length > 200 ? chars.slice(chars.length - 200).join('') : cleaned;
  return short === '' || short === '.' || short === '..' ? 'file' : short;
}

/** `attachment`, with an ASCII fallback name and the exact one in RFC 5987 form for clients that read it. */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/[\\"]/g, '_');
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
