import { describe, expect, it } from 'vitest';
import { ApiError } from '../../openapi/errors.ts';
import { checkHeaders, csvRecords, scanCsv } from './csv.ts';

const streamOf = (text: string | Uint8Array) => new Blob([text as BlobPart]).stream();

async function rows(text: string) {
  const out = [];
  for await (const row of csvRecords(streamOf(text))) out.push(row);
  return out;
}

describe('csvRecords', () => {
  it('numbers each record by the line it starts on, across blank lines and quoted newlines', async () => {
    expect(await rows('\ufeffa,b\r\n1,"two\nlines"\n\n3,4\n5')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['1', 'two\nlines'] },
      { line: 5, cells: ['3', '4'] },
      { line: 6, cells: ['5'] },
    ]);
  });

  it('reads CRLF, LF and CR line endings alike, even split across chunks', async () => {
    const chunks = ['a,b\r', '\n1,"x\r', '\ny"\r2,3\r', '\n'];
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
        controller.close();
      },
    });
    const out = [];
    for await (const row of csvRecords(stream)) out.push(row);
    expect(out).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['1', 'x\ny'] },
      { line: 4, cells: ['2', '3'] },
    ]);
  });
});

describe('scanCsv', () => {
  it('reads the header row and counts the data rows', async () => {
    expect(await scanCsv(streamOf('Name,E-mail\nAda,a@b.example\nGrace,g@b.example\n'))).toEqual({
      headers: ['Name', 'E-mail'],
      totalRows: 2,
    });
  });

  it('refuses an empty file, a broken quote and a header named twice', async () => {
    for (const text of ['', 'a,b\n1,"open\n2,3\n', 'a,a\n1,2\n']) {
      const error = await scanCsv(streamOf(text)).catch((e) => e);
      expect(error, JSON.stringify(text)).toBeInstanceOf(ApiError);
      expect(error.code).toBe('invalid_csv');
    }
  });
});

describe('checkHeaders', () => {
  it('names blank headers by position', () => {
    expect(checkHeaders([' Name ', '', 'Email'])).toEqual(['Name', 'Column 2', 'Email']);
  });
});
