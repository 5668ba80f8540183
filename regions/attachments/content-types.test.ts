import { describe, expect, it } from 'vitest';
import { acceptedContentType, contentDisposition, safeFilename } from './content-types.ts';

const pdf = new TextEncoder().encode('%PDF-1.7\n');
const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
const text = new TextEncoder().encode('hello');

describe('acceptedContentType', () => {
  it('keeps an accepted declared type, without parameters or case', () => {
    expect(acceptedContentType('application/pdf', 'a.pdf', pdf)).toBe('application/pdf');
    expect(acceptedContentType('Text/Plain; charset=utf-8', 'notes', text)).toBe('text/plain');
    expect(acceptedContentType('text/csv', 'x.csv', text)).toBe('text/csv');
    expect(
      acceptedContentType(
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        'offer.docx',
        Uint8Array.from([0x50, 0x4b]),
      ),
    ).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  });

  it('falls back to the extension when the client did not say', () => {
    expect(acceptedContentType('application/octet-stream', 'scan.PNG', png)).toBe('image/png');
    expect(acceptedContentType('', 'report.pdf', pdf)).toBe('application/pdf');
    expect(acceptedContentType('application/octet-stream', 'tool.exe', text)).toBeNull();
    expect(acceptedContentType('', 'no-extension', text)).toBeNull();
  });

  it('refuses active content and unknown types', () => {
    for (const type of ['text/html', 'image/svg+xml', 'application/javascript', 'application/x-msdownload']) {
      expect(acceptedContentType(type, 'x', text), type).toBeNull();
    }
  });

  it('refuses a PDF or an image whose bytes are not one', () => {
    expect(acceptedContentType('application/pdf', 'a.pdf', text)).toBeNull();
    expect(acceptedContentType('image/png', 'a.png', pdf)).toBeNull();
    expect(acceptedContentType('image/png', 'a.png', new Uint8Array(0))).toBeNull();
  });
});

describe('safeFilename', () => {
  it('keeps the last path segment, without control characters or quotes', () => {
    expect(safeFilename('C:\\Users\\ada\\offer.pdf')).toBe('offer.pdf');
    expect(safeFilename('../../etc/passwd')).toBe('passwd');
    expect(safeFilename('a"b\u0000\r\nc.txt')).toBe('abc.txt');
    expect(safeFilename('Angebot für Müller.pdf')).toBe('Angebot für Müller.pdf');
  });

  it('names a nameless file `file` and keeps long names to 200 characters, extension included', () => {
    expect(safeFilename('')).toBe('file');
    expect(safeFilename('..')).toBe('file');
    const long = safeFilename(`${'x'.repeat(300)}.pdf`);
    expect(long.length).toBe(200);
    expect(long.endsWith('.pdf')).toBe(true);
  });
});

describe('contentDisposition', () => {
  it('always says attachment, with an ASCII fallback and the exact UTF-8 name', () => {
    expect(contentDisposition('offer.pdf')).toBe(`attachment; filename="offer.pdf"; filename*=UTF-8''offer.pdf`);
    expect(contentDisposition('Müller (1).pdf')).toBe(
      `attachment; filename="M_ller (1).pdf"; filename*=UTF-8''M%C3%BCller%20%281%29.pdf`,
    );
  });
});
