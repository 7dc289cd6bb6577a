/**
 * repair() on mail written by real clients (issue 15): each message in
 * test/fixtures/repair is shaped like one client's output (see
 * make-real-mail.py). What the sender wrote survives, judged by Python's
 * email package and postal-mime; what is fine is left alone; what is signed is
 * never rebuilt.
 */
import { describe, expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import { lint } from '../../src/lint/index.js';
import { looksLikeHtml } from '../../src/lint/rules/content.js';
import { repair } from '../../src/repair/repair.js';
import { rsaKey, verify } from '../dkim/helpers.js';
import { parsePostal } from '../support/npm-parsers.js';
import { type PyCheckResult, usePythonEmail } from '../support/python-email.js';
import { fixtures, NOW, now, refusal } from './cases.js';

const py = usePythonEmail();
const byName = new Map(fixtures().map((f) => [f.name, f.raw]));
const raw = (name: string) => byName.get(`repair/${name}`)!;
const crlf = (b: Buffer) => Buffer.from(b.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');

/** The bytes after the header block (the empty line excluded). */
function body(b: Buffer): Buffer {
  const s = b.toString('latin1');
  const m = /\r?\n\r?\n/.exec(s)!;
  return b.subarray(m.index + m[0].length);
}

function part(p: PyCheckResult, pred: (x: PyCheckResult['parts'][number]) => boolean) {
  const found = p.parts.find(pred);
  expect(found).toBeDefined();
  return found!;
}

describe('1. inline text stays inline; text attachments are CRLF before base64', () => {
  it('XEmacs VM: a text part with name= and no Content-Disposition is rebuilt without one', async () => {
    const r = await repair(raw('xemacs-vm-inline-name.eml'), { now });
    const p = await py.check(r.raw);
    const notes = part(p, (x) => x.filename === 'NOTES');
    expect(notes.disposition).toBeNull();
    expect(notes.text).toContain('François tested it on Solaris.');
    expect(part(p, (x) => x.path === '0.0').text).toContain('Here is the patch I promised.');
    // postal-mime sees the same attachments before and after: the inline part did not become one.
    const before = await parsePostal(raw('xemacs-vm-inline-name.eml'));
    const after = await parsePostal(r.raw);
    expect(after.attachments.map((a) => [a.filename, a.disposition])).toEqual(
      before.attachments.map((a) => [a.filename, a.disposition]),
    );
  });
  it('XEmacs VM: the rebuilt base64 text attachment holds CRLF line ends (RFC 2045 §6.8)', async () => {
    const r = await repair(raw('xemacs-vm-inline-name.eml'), { now });
    const p = await py.check(r.raw);
    const patch = part(p, (x) => x.filename === 'vm-summary.patch');
    expect(patch.cte).toBe('base64');
    expect(patch.disposition).toBe('attachment');
    expect(patch.text).toContain('--- vm-summary.el.orig\r\n+++ vm-summary.el\r\n');
    expect(/(^|[^\r])\n/.test(patch.text!)).toBe(false);
  });
});

describe('2. plain text with a tag-like run is not HTML', () => {
  it('Outlook 2000: uuencoded data with "<P/>" is plain text; repair keeps every line', async () => {
    const original = raw('outlook2000-uuencode.eml');
    expect(original.toString('latin1')).toContain('<P/>');
    const rules = lint(original, { now: NOW }).findings.map((f) => f.rule);
    expect(rules).not.toContain('html-without-mime');
    const r = await repair(original, { now });
    const [before, after] = [await py.check(original), await py.check(r.raw)];
    expect(after.parts.map((x) => x.contentType)).toEqual(['text/plain']);
    expect(after.parts[0]!.text).toBe(before.parts[0]!.text);
    expect(after.parts[0]!.text).toContain('begin 644 ritning.dat\r\n');
  });
  it('looksLikeHtml: a document shape, not one tag', () => {
    expect(looksLikeHtml('<html><body><p>Hello Max</p></body></html>')).toBe(true);
    expect(looksLikeHtml('<!DOCTYPE html>\n<html><head><title>x</title></head>')).toBe(true);
    expect(looksLikeHtml('<p>Name: Max</p>\n<p>Mail: max@example.org</p><br>')).toBe(true);
    expect(looksLikeHtml('See <P> in the manual, or <br> for a break.')).toBe(false);
    expect(looksLikeHtml('Hello,\n\n<html> is the root element.\n')).toBe(false);
    const uu = 'begin 644 x.dat\nM<html><body><p>data</p></body></html>\n`\nend\n';
    expect(looksLikeHtml(`Files:\n${uu}`)).toBe(false);
    expect(looksLikeHtml(`<p>a</p>${'x'.repeat(5000)}`)).toBe(false);
  });
});

describe('3. one cleaned file name; no part gains or loses attachment status', () => {
  it('/tmp/whoa goes out as "whoa" in both parameters; the empty /foo/bar part gains no disposition', async () => {
    const r = await repair(raw('unsafe-filename.eml'), { now });
    const text = r.raw.toString('latin1');
    expect(text).not.toMatch(/%2F|\/tmp|\/foo/);
    expect(text).toContain('Content-Type: application/octet-stream; name="whoa"');
    expect(text).toContain('Content-Disposition: attachment; filename=whoa');
    const p = await py.check(r.raw);
    expect(part(p, (x) => x.filename === 'whoa').disposition).toBe('attachment');
    const empty = part(p, (x) => x.filename === 'bar');
    expect(empty.disposition).toBeNull();
    expect(empty.text).toBe('');
    const before = await py.check(raw('unsafe-filename.eml'));
    expect(p.parts.map((x) => x.disposition)).toEqual(before.parts.map((x) => x.disposition));
    expect(r.applied.map((a) => a.rule)).toContain('attachment-filename-unsafe');
  });
});

describe('4. rendering parameters and descriptive fields survive a rebuild', () => {
  it('Thunderbird: format=flowed; delsp=yes, Content-Language, Content-ID/-Description/-Location', async () => {
    const r = await repair(raw('thunderbird-flowed.eml'), { now });
    const text = r.raw.toString('latin1');
    expect(text).toContain('Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes\r\n');
    expect(text).toContain('Content-Language: de-DE\r\n');
    expect(text).toContain('Content-ID: <part1.0A0B0C0D.01020304@example.de>\r\n');
    expect(text).toContain('Content-Description: Stern\r\n');
    expect(text).toContain('Content-Location: stern.gif\r\n');
    // postal-mime follows RFC 3676: soft breaks joined, the DelSp space removed.
    const postal = await parsePostal(r.raw);
    expect(postal.text).toContain('und es gibt Glühwein, Plätzchen');
    expect(postal.text).toContain('die mit dem Rad kommen.');
    const p = await py.check(r.raw);
    // Python does not un-flow: the soft breaks are there, trailing spaces and all.
    expect(part(p, (x) => x.contentType === 'text/plain').text).toContain(
      '> Zitat aus deiner Mail, das umbrochen  \r\n> wurde.',
    );
    expect(part(p, (x) => x.contentType === 'image/gif').cid).toBe(
      '<part1.0A0B0C0D.01020304@example.de>',
    );
  });
});

describe('5. fixed at the depth it is wrong', () => {
  it('Pine: Return-Path and a missing Date are fixed in the header block; the body keeps its bytes', async () => {
    const original = raw('pine-return-path.eml');
    const r = await repair(original, { now });
    expect(r.applied.map((a) => a.rule).sort()).toEqual(
      ['bare-cr-or-lf', 'missing-date', 'return-path-header-present'].sort(),
    );
    expect(body(r.raw).equals(crlf(body(original)))).toBe(true);
    expect(r.raw.toString('latin1')).toContain('Content-Type: TEXT/PLAIN; charset=US-ASCII\r\n');
    expect(r.raw.toString('latin1')).not.toContain('Return-Path');
  });
  it('a Return-Path line alone (no error) passes byte for byte', async () => {
    const dated = Buffer.from(
      crlf(raw('pine-return-path.eml'))
        .toString('latin1')
        .replace('Subject:', 'Date: Mon, 22 Jan 2001 13:50:00 -0800\r\nSubject:'),
      'latin1',
    );
    const r = await repair(dated, { now });
    expect(r.applied).toEqual([]);
    expect(r.raw.equals(dated)).toBe(true);
  });
  it('Outlook 2000: a body error rebuilds the body, the header block keeps its own fields', async () => {
    const r = await repair(raw('outlook2000-uuencode.eml'), { now });
    const text = r.raw.toString('latin1');
    expect(text).toContain('X-MimeOLE: Produced By Microsoft MimeOLE V5.00.2919.6600\r\n');
    expect(text).toContain('Message-ID: <000801bf8d9a$2c4e1b60$0a00a8c0@karin>\r\n');
  });
});

describe('6. signed, report, digest and parallel messages', () => {
  it('Apple Mail multipart/signed: Date added, the signed part keeps every octet (CRLF is its canonical form)', async () => {
    const original = raw('applemail-signed.eml');
    const r = await repair(original, { now });
    expect(r.applied.map((a) => a.rule)).toContain('missing-date');
    expect(body(r.raw).equals(crlf(body(original)))).toBe(true);
  });
  it('a list DSN (multipart/report) with LF line ends and no Date: Date added, the report unchanged', async () => {
    const original = raw('list-dsn-report.eml');
    const r = await repair(original, { now });
    expect(r.applied.map((a) => a.rule).sort()).toEqual(['bare-cr-or-lf', 'missing-date']);
    expect(body(r.raw).equals(crlf(body(original)))).toBe(true);
  });
  it('a digest without Date and a multipart/parallel with LF line ends are repaired, bodies as they were', async () => {
    for (const name of ['list-digest.eml', 'parallel.eml']) {
      const original = raw(name);
      const r = await repair(original, { now });
      expect(body(r.raw).equals(crlf(body(original)))).toBe(true);
    }
  });
  it('a signed part inside multipart/mixed is carried as written while a broken text part beside it is rebuilt', async () => {
    const signed = body(crlf(raw('applemail-signed.eml'))).toString('latin1');
    const msg = [
      'From: a@example.com',
      'To: b@example.org',
      'Subject: forwarded',
      'Date: Sun, 29 Nov 2026 13:40:00 +0000',
      'Message-ID: <fwd.1@example.com>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="outer"',
      '',
      '--outer',
      'Content-Type: text/plain',
      '',
      'Gr\xfc\xdfe, see below.',
      '--outer',
      'Content-Type: multipart/signed; boundary="Apple-Mail=_4D6E2B1A-11F0-4C53-9E7F-0123456789AB"; protocol="application/pkcs7-signature"; micalg=sha-256',
      '',
      `${signed}--outer--`,
      '',
    ].join('\r\n');
    const r = await repair(Buffer.from(msg, 'latin1'), { now });
    expect(r.raw.toString('latin1')).toContain(signed);
    const p = await py.check(r.raw);
    expect(part(p, (x) => x.path === '0.0').text).toContain('Grüße, see below.');
  });
  it('an error inside a signed part is refused (signed-part), never rebuilt', async () => {
    const original = raw('applemail-signed.eml')
      .toString('latin1')
      .replace('this note is signed.', 'this note is sign\xe9d.');
    const e = await refusal(repair(Buffer.from(original, 'latin1'), { now }));
    expect(e.field).toBe('signed-part@message');
  });
  it('an S/MIME part (application/pkcs7-mime) with an error is refused; a clean one is carried', async () => {
    const smime = (b64: string) =>
      [
        'From: a@example.com',
        'To: b@example.org',
        'Subject: s',
        'Date: Sun, 29 Nov 2026 13:40:00 +0000',
        'Message-ID: <smime.1@example.com>',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b"',
        '',
        '--b',
        'Content-Type: text/plain',
        '',
        'Gr\xfc\xdfe',
        '--b',
        'Content-Type: application/pkcs7-mime; smime-type=signed-data; name=smime.p7m',
        'Content-Transfer-Encoding: base64',
        'Content-Disposition: attachment; filename=smime.p7m',
        '',
        b64,
        '--b--',
        '',
      ].join('\r\n');
    const clean = await repair(Buffer.from(smime('MIAGCSqGSIb3DQEHAqCAMIACAQEx'), 'latin1'), {
      now,
    });
    expect(clean.raw.toString('latin1')).toContain(
      'Content-Type: application/pkcs7-mime; smime-type=signed-data; name=smime.p7m\r\n',
    );
    const e = await refusal(
      repair(Buffer.from(smime('MIAGCSq!GSIb3DQEHAqCAMIACAQEx'), 'latin1'), { now }),
    );
    expect(e.field).toBe('signed-part@part-2');
  });
  it('a DSN whose report needs a rebuild is refused, not flattened', async () => {
    const original = raw('list-dsn-report.eml')
      .toString('latin1')
      .replace('This is the mail system', 'This is the m\xe4il system');
    const e = await refusal(repair(Buffer.from(original, 'latin1'), { now }));
    expect(e.field).toBe('unsupported-multipart:report@message');
  });
});

describe('6. DKIM-signed mail', () => {
  const key = rsaKey();
  const txt = { 'sel._domainkey.example.com': key.txt };
  const dkim = { domainName: 'example.com', keySelector: 'sel', privateKey: key.privatePem };

  it('zero lint errors and a Return-Path: passes byte for byte, the signature verifies', async () => {
    const { raw: signed } = await compose(
      { from: 'shop@example.com', to: 'erika@example.org', subject: 'Receipt', text: 'Thanks!\n' },
      { dkim },
    );
    const withRp = Buffer.concat([Buffer.from('Return-Path: <shop@example.com>\r\n'), signed]);
    const r = await repair(withRp, { now });
    expect(r.applied).toEqual([]);
    expect(r.raw.equals(withRp)).toBe(true);
    expect((await verify(r.raw, txt)).map((x) => x.status.result)).toEqual(['pass']);
  });
  it('a header fix outside h= keeps the signature: Date added where the signature does not list date', async () => {
    // @ts-expect-error mailauth ships no types for its signer module
    const { dkimSign } = await import('mailauth/lib/dkim/sign');
    const unsigned = Buffer.from(
      'From: shop@example.com\r\nTo: erika@example.org\r\nSubject: Receipt\r\nMessage-ID: <r.1@example.com>\r\n\r\nThanks!\r\n',
    );
    const { signatures } = await dkimSign(unsigned, {
      canonicalization: 'relaxed/relaxed',
      headerList: 'from:to:subject:message-id',
      signatureData: [
        { signingDomain: 'example.com', selector: 'sel', privateKey: key.privatePem },
      ],
    });
    const signed = Buffer.concat([Buffer.from(signatures), unsigned]);
    const r = await repair(signed, { now });
    expect(r.applied.map((a) => a.rule)).toEqual(['missing-date']);
    expect((await verify(r.raw, txt)).map((x) => x.status.result)).toEqual(['pass']);
  });
});
