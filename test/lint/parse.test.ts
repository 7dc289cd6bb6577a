import { describe, expect, it } from 'vitest';
import { bodyBytes, decodedBody, fieldValue, parseMessage } from '../../src/read/parse.js';

describe('parseMessage', () => {
  it('keeps offsets into the original bytes, folding and line numbers', () => {
    const raw = Buffer.from('Subject: a\r\n b\r\nX: \xe9\r\n\r\nbody\r\n', 'latin1');
    const msg = parseMessage(raw);
    const [subject, x] = msg.root.headers;
    expect(subject?.lines).toBe(2);
    expect(fieldValue(msg, subject!)).toBe('a b');
    expect(x?.line).toBe(3);
    expect(raw.subarray(x!.valueStart, x!.end).toString('latin1')).toBe(' \xe9');
    expect(bodyBytes(msg, msg.root).toString()).toBe('body\r\n');
    expect(msg.stats.ending).toBe('crlf');
  });
  it('builds the MIME tree with part paths without decoding', () => {
    const raw = Buffer.from(
      'Content-Type: multipart/mixed; boundary=o\r\n\r\n--o\r\nContent-Type: multipart/alternative; boundary=i\r\n\r\n--i\r\n\r\nx\r\n--i\r\nContent-Type: text/html\r\n\r\n<p>\r\n--i--\r\n--o\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nQUJD\r\n--o--\r\n',
    );
    const msg = parseMessage(raw);
    expect(msg.parts.map((p) => `${p.path}:${p.mediaType}`)).toEqual([
      ':multipart/mixed',
      '1:multipart/alternative',
      '1.1:text/plain',
      '1.2:text/html',
      '2:application/pdf',
    ]);
    const pdf = msg.parts[4]!;
    expect(bodyBytes(msg, pdf).toString()).toBe('QUJD');
    expect(decodedBody(msg, pdf).toString()).toBe('ABC');
    expect(msg.defects).toEqual([]);
  });
  it('reports line-ending statistics', () => {
    const s = parseMessage(Buffer.from('A: b\nC: d\r\ne\rf\r\n')).stats;
    expect(s).toMatchObject({ crlf: 2, bareLf: 1, bareCr: 1, ending: 'mixed' });
  });
});
