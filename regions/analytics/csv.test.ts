import { describe, expect, it } from 'vitest';
import { csvCell, csvLine, csvStream, decimal } from './csv.ts';

describe('CSV cells', () => {
  it('quotes only cells with a comma, a quote or a line break, doubling quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('Smith, Jones & Co')).toBe('"Smith, Jones & Co"');
    expect(csvCell('the "best" source')).toBe('"the ""best"" source"');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('carriage\rreturn')).toBe('"carriage\rreturn"');
    expect(csvCell('')).toBe('');
    expect(csvCell('naïve – 東京')).toBe('naïve – 東京');
  });

  it('writes numbers as they are and nothing for null', () => {
    expect(csvCell(42)).toBe('42');
    expect(csvCell(33.3)).toBe('33.3');
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(decimal('-1200.50'))).toBe('-1200.50');
  });

  it('neutralises text that a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://evil.example","x")')).toBe(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(csvCell('+1-555-0100')).toBe("'+1-555-0100");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1:A9)')).toBe("'@SUM(A1:A9)");
    expect(csvCell('\t=1+1')).toBe("'\t=1+1");
    expect(csvCell('=1,2')).toBe(`"'=1,2"`);
    // Text that merely contains those characters later on is left alone.
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell('ada@analytical.example')).toBe('ada@analytical.example');
  });

  it('ends each line with CRLF', () => {
    expect(csvLine(['a', 1, null, decimal('2.00')])).toBe('a,1,,2.00\r\n');
  });
});

describe('csvStream', () => {
  it('streams the header and every row, in chunks', async () => {
    const rows = Array.from({ length: 150 }, (_, i) => [`row ${i}`, i]);
    const text = await new Response(csvStream(['name', 'n'], rows)).text();
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('name,n');
    expect(lines[1]).toBe('row 0,0');
    expect(lines[150]).toBe('row 149,149');
    expect(lines).toHaveLength(152); // the file ends with a line break
  });

  it('is a header alone when there are no rows', async () => {
    expect(await new Response(csvStream(['a', 'b'], [])).text()).toBe('a,b\r\n');
  });
});
