/**
 * repair() and lint() on hostile and unusual but legal input (issue 14 items
 * 1 and 5, issue 15 items 7 and 8): a line break smuggled through PHP's
 * mail(), file names that decode to line breaks, group syntax, `;` and `:`
 * between addresses, Resent-* recipients and an unqualified Sender. The
 * envelope is judged against what Python's email package reads in the bytes.
 */
import { describe, expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import type { Finding } from '../../src/lint/index.js';
import { lint } from '../../src/lint/index.js';
import { repair } from '../../src/repair/repair.js';
import { PHP_MAIL_CASES, phpFixture } from '../support/php-mail.js';
import { pyFindingsOf, usePythonEmail } from '../support/python-email.js';
import { NOW, now, refusal } from './cases.js';

const py = usePythonEmail();

const errors = (raw: string | Buffer): Finding[] =>
  lint(raw, { now: NOW }).findings.filter((f) => f.severity === 'error');

/** The head of the repaired bytes, for assertions on single fields. */
const head = (raw: Buffer) => raw.toString('latin1').split('\r\n\r\n')[0]!;

describe('a bare LF inside a CRLF header block is refused; PHP line-end layouts are repaired (14.1)', () => {
  const byName = new Map(PHP_MAIL_CASES.map((c) => [c.name, c]));
  it('has the fixtures the tests below name', () => {
    for (const name of ['php82-form', 'php82-form-injected', 'php7-form', 'php82-mixed-form'])
      expect(byName.has(name)).toBe(true);
  });

  for (const name of [
    'php82-form-injected',
    'php82-form-injected-last',
    'php82-mixed-form-injected',
    'php82-lf-headers',
  ]) {
    it(`${name}: refused (bare-lf-in-header), the smuggled Bcc reaches no envelope`, async () => {
      const e = await refusal(
        repair(phpFixture(name), { now, envelopeFrom: 'bounces@example.com' }),
      );
      expect(e.code).toBe('REPAIR_REFUSED');
      expect(e.field).toBe('bare-lf-in-header');
      expect(e.message).toMatch(/bare LF between lines that end in CRLF/);
    });
  }

  for (const name of ['php82-form', 'php82-mixed-form', 'php82-mixed-lf-headers', 'php7-form']) {
    it(`${name}: repaired; Python reads the recipients the envelope names`, async () => {
      const r = await repair(phpFixture(name), { now, envelopeFrom: 'bounces@example.com' });
      expect(r.envelope).toEqual({ from: 'bounces@example.com', to: ['support@example.com'] });
      const checked = await py.check(r.raw);
      expect(pyFindingsOf(checked, r.raw)).toEqual([]);
      expect(checked.headers.to).toEqual([{ name: '', address: 'support@example.com' }]);
      expect(checked.headers.replyTo).toEqual([{ name: '', address: 'visitor@example.net' }]);
      expect(checked.headers.subject).toBe('Kontaktformular: Rückruf erbeten');
    });
  }

  it('refuses a bare LF between CRLF lines of a body part header block', async () => {
    const raw =
      'From: shop@example.com\r\nTo: kunde@example.org\r\nSubject: Rechnung\r\nMIME-Version: 1.0\r\n' +
      'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nAnbei.\r\n' +
      '--b1\r\nContent-Type: application/pdf; name="r.pdf"\nBcc: evil@x.example\r\n' +
      'Content-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--b1--\r\n';
    const e = await refusal(repair(raw, { now }));
    expect(e.field).toBe('bare-lf-in-header@part-2');
  });

  it('repairs a message whose header block is all LF and whose body mixes line ends', async () => {
    const raw =
      'From: shop@example.com\nTo: kunde@example.org\nSubject: Hallo\n\nZeile 1\r\nZeile 2\n';
    const r = await repair(raw, { now });
    expect(r.envelope?.to).toEqual(['kunde@example.org']);
  });
});

/** A PHPMailer-style message with one attachment whose Content-Disposition is `disposition`. */
function withAttachment(disposition: string, contentType = 'application/pdf'): string {
  return [
    'Date: Fri, 27 Nov 2026 10:00:00 +0000',
    'From: Shop <shop@example.com>',
    'To: kunde@example.org',
    'Subject: Ihre Rechnung',
    'Message-ID: <inv.4711@example.com>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1_x"',
    '',
    '--b1_x',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'Anbei Ihre Rechnung.',
    '--b1_x',
    `Content-Type: ${contentType}`,
    'Content-Transfer-Encoding: base64',
    `Content-Disposition: ${disposition}`,
    '',
    'JVBERi0xLjQK',
    '--b1_x--',
    '',
  ].join('\r\n');
}

describe('a file name that decodes to a line break or control is refused, by lint and repair (14.5)', () => {
  const cases: Array<[string, string]> = [
    ['RFC 2231 CR LF', "attachment; filename*=utf-8''Rechnung%0D%0ABcc%3A%20evil%40x.example.pdf"],
    ['RFC 2231 NUL', "attachment; filename*=utf-8''Rechnung%00.pdf"],
    ['RFC 2231 NEL (UTF-8)', "attachment; filename*=utf-8''Rechnung%C2%85Bcc.pdf"],
    [
      'RFC 2231 continuation with LF',
      "attachment; filename*0*=utf-8''Rech; filename*1*=nung%0ABcc.pdf",
    ],
    ['encoded-word LF', 'attachment; filename="=?UTF-8?Q?Rechnung=0ABcc:_evil=40x.example.pdf?="'],
  ];
  for (const [what, disposition] of cases) {
    it(`${what}: lint error, repair refuses`, async () => {
      const raw = withAttachment(disposition);
      const found = errors(raw).map((f) => f.rule);
      expect(
        found.includes('attachment-filename-unsafe') ||
          found.includes('encoded-word-unsafe-content'),
      ).toBe(true);
      const e = await refusal(repair(raw, { now }));
      expect(e.field).toBe('filename-unsafe@part-2');
    });
  }
  it('iso-8859-1 0x85 reads as "…" (WHATWG labels: windows-1252), not as NEL: no error', () => {
    const raw = withAttachment("attachment; filename*=iso-8859-1''Rechnung%85Bcc.pdf");
    expect(errors(raw).map((f) => f.rule)).not.toContain('attachment-filename-unsafe');
  });
  it('the same in the name parameter of Content-Type', async () => {
    const raw = withAttachment(
      'attachment',
      "application/pdf; name*=utf-8''Rechnung%0D%0AX-Evil%3A%201.pdf",
    );
    expect(errors(raw).map((f) => f.rule)).toContain('attachment-filename-unsafe');
    expect((await refusal(repair(raw, { now }))).field).toBe('filename-unsafe@part-2');
  });
  it('an ordinary RFC 2231 name (Umlaut, TAB-free) is no error and is repaired or kept', async () => {
    const raw = withAttachment("attachment; filename*=utf-8''Rechnung%20M%C3%BCller.pdf");
    expect(errors(raw)).toEqual([]);
    const r = await repair(raw, { now });
    const checked = await py.check(r.raw);
    expect(checked.parts.find((p) => p.contentType === 'application/pdf')?.filename).toBe(
      'Rechnung Müller.pdf',
    );
  });
});

const BASE = [
  'Date: Fri, 27 Nov 2026 10:00:00 +0000',
  'From: Verein <vorstand@example.com>',
  'Subject: Treffen am Freitag',
  'Message-ID: <t.1@example.com>',
].join('\r\n');
const msg = (...fields: string[]) =>
  `${BASE}\r\n${fields.join('\r\n')}\r\n\r\nDas Treffen ist am Freitag.\r\n`;

describe('group syntax is repaired, empty groups kept, members are recipients (14.5, 15.7)', () => {
  it('To: undisclosed-recipients:; with Bcc: envelope = the Bcc recipients, To kept, Bcc gone', async () => {
    const raw = msg('To: undisclosed-recipients:;', 'Bcc: anna@example.org, ben@example.net');
    const r = await repair(raw, { now });
    expect(r.envelope?.to).toEqual(['anna@example.org', 'ben@example.net']);
    expect(head(r.raw)).toMatch(/^To: undisclosed-recipients:;$/m);
    expect(head(r.raw)).not.toMatch(/^Bcc:/im);
    const checked = await py.check(r.raw);
    expect(pyFindingsOf(checked, r.raw)).toEqual([]);
    expect(checked.headers.to).toEqual([]);
  });

  it("PHP 8.2's mail('undisclosed-recipients:;', …) output with Bcc is repaired", async () => {
    const r = await repair(phpFixture('php82-undisclosed-recipients'), {
      now,
      envelopeFrom: 'bounces@example.com',
    });
    expect(r.envelope).toEqual({
      from: 'bounces@example.com',
      to: ['anna@example.org', 'ben@example.net'],
    });
    expect(head(r.raw)).toMatch(/^To: undisclosed-recipients:;$/m);
    expect(pyFindingsOf(await py.check(r.raw), r.raw)).toEqual([]);
  });

  it("sendmail's To: unlisted-recipients:; (no To-header on input) with Bcc", async () => {
    const raw = msg('To: unlisted-recipients:; (no To-header on input)', 'Bcc: anna@example.org');
    const r = await repair(raw, { now });
    expect(r.envelope?.to).toEqual(['anna@example.org']);
    expect(head(r.raw)).toMatch(/^To: unlisted-recipients:;/m);
  });

  it('To: IETF-Announce:; with Cc: the Cc recipients only; the group stays as written', async () => {
    const raw = msg(
      'To: IETF-Announce:;',
      'Cc: RFC Editor <rfc-editor@example.org>, draft-ietf-foo@example.net',
    );
    expect(errors(raw)).toEqual([]);
    const r = await repair(raw, { now });
    expect(r.envelope?.to).toEqual(['rfc-editor@example.org', 'draft-ietf-foo@example.net']);
    expect(r.raw.equals(Buffer.from(raw))).toBe(true);
  });

  it('RFC 5322 Appendix A.1.3: a named group with members and an empty Cc group', async () => {
    const raw = [
      'From: Pete <pete@silly.example>',
      'To: A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;',
      'Cc: Undisclosed recipients:;',
      'Date: Thu, 13 Feb 1969 23:32:54 -0330',
      'Message-ID: <testabcd.1234@silly.example>',
      '',
      'Testing.',
      '',
    ].join('\r\n');
    const r = await repair(raw, { now });
    expect(r.envelope?.to).toEqual(['c@a.test', 'joe@where.test', 'jdoe@one.test']);
    expect(head(r.raw)).toContain('Cc: Undisclosed recipients:;');
    const checked = await py.check(r.raw);
    expect(checked.headers.to?.map((a) => a.address)).toEqual(r.envelope?.to);
  });

  it('a group whose member needs re-rendering keeps its name, members and closing ";"', async () => {
    // `Müller, Hans` unquoted: display-name-unquoted-specials makes repair re-render the field.
    const raw = msg('To: Vorstand: Mueller, Hans <hans@example.org>, eva@example.org;');
    expect(errors(raw).map((f) => f.rule)).toContain('display-name-unquoted-specials');
    const r = await repair(raw, { now });
    expect(r.envelope?.to).toEqual(['hans@example.org', 'eva@example.org']);
    expect(head(r.raw)).toMatch(
      /^To: Vorstand: "Mueller, Hans" <hans@example\.org>, <eva@example\.org>;$/m,
    );
    const checked = await py.check(r.raw);
    expect(pyFindingsOf(checked, r.raw)).toEqual([]);
    expect(checked.headers.to).toEqual([
      { name: 'Mueller, Hans', address: 'hans@example.org' },
      { name: '', address: 'eva@example.org' },
    ]);
  });
});

describe('";" and ":" between addresses: lint errors, header and envelope agree after repair (14.5)', () => {
  it('To: a; b (Outlook separator): lint error; repair writes a comma list with both', async () => {
    const raw = msg('To: anna@example.org; ben@example.net');
    expect(errors(raw)).toEqual([
      expect.objectContaining({
        rule: 'recipient-header-invalid',
        message: expect.stringContaining('";" separates addresses'),
      }),
    ]);
    const r = await repair(raw, { now });
    expect(r.envelope?.to).toEqual(['anna@example.org', 'ben@example.net']);
    expect(r.applied.map((f) => f.rule)).toContain('recipient-header-invalid');
    const checked = await py.check(r.raw);
    expect(pyFindingsOf(checked, r.raw)).toEqual([]);
    // what a reader sees is what the envelope delivers to
    expect(checked.headers.to?.map((a) => a.address)).toEqual(r.envelope?.to);
  });

  it('To: a:b (reads as a group named after the first address): lint error; repair refuses', async () => {
    const raw = msg('To: anna@example.org:ben@example.net');
    expect(errors(raw).map((f) => f.rule)).toEqual(['recipient-header-invalid']);
    const e = await refusal(repair(raw, { now }));
    expect(e.field).toBe('invalid-address:to');
    expect(e.message).toContain('not a group name');
  });

  it('an unterminated group at the end of the field: lint error, repair closes it', async () => {
    const raw = msg('To: undisclosed-recipients:', 'Bcc: anna@example.org');
    expect(errors(raw).map((f) => f.rule)).toEqual(['recipient-header-invalid']);
    const r = await repair(raw, { now });
    expect(head(r.raw)).toMatch(/^To: undisclosed-recipients:;$/m);
    expect(r.envelope?.to).toEqual(['anna@example.org']);
  });
});

describe('Resent-* fields (14.5): recipients as Postfix sendmail -t takes them, Resent-Bcc removed', () => {
  const resend = msg(
    'To: original@example.org',
    'Resent-From: Weiterleitung <fwd@example.com>',
    'Resent-Date: Fri, 27 Nov 2026 11:00:00 +0000',
    'Resent-Message-ID: <r.1@example.com>',
    'Resent-To: neu@example.org',
    'Resent-Bcc: still@example.net',
  );
  it('lint warns that Resent-Bcc discloses its recipients', () => {
    const f = lint(resend, { now: NOW }).findings.find((x) => x.rule === 'bcc-header-leak');
    expect(f?.message).toContain('Resent-Bcc');
  });
  it('the envelope is Resent-To ∪ Resent-Bcc, To is not sent to again, Resent-Bcc is gone', async () => {
    const r = await repair(resend, { now });
    expect(r.envelope?.to).toEqual(['neu@example.org', 'still@example.net']);
    expect(head(r.raw)).not.toMatch(/^Resent-Bcc:/im);
    expect(head(r.raw)).toMatch(/^To: original@example\.org$/m);
    expect(head(r.raw)).toMatch(/^Resent-To: neu@example\.org$/m);
    expect(pyFindingsOf(await py.check(r.raw), r.raw)).toEqual([]);
  });
  it('compose refuses Resent-Bcc as a custom header', async () => {
    const e = await refusal(
      compose({
        from: 'shop@example.com',
        to: 'kunde@example.org',
        subject: 'Hallo',
        text: 'Hallo',
        headers: { 'Resent-Bcc': 'hidden@example.net' },
      }),
    );
    expect(e.code).toBe('INVALID_HEADER_NAME');
    expect(e.field).toBe('headers.Resent-Bcc');
  });
});

describe('applied claims needless-base64-text only where the part is no longer base64 (15.8)', () => {
  it('an XEmacs VM-style text part with name= and no disposition', async () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    // No Date: an error, so repair rebuilds; both text parts are needlessly base64.
    const raw = [
      'From: Kyle Jones <kyle@example.com>',
      'To: erika@example.org',
      'Subject: notes',
      'Message-ID: <vm.4711@example.com>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="vm-boundary"',
      '',
      '--vm-boundary',
      'Content-Type: text/plain; charset=us-ascii; name="notes.txt"',
      'Content-Transfer-Encoding: base64',
      '',
      b64('Plain ASCII notes, line one.\r\nLine two.\r\n'),
      '--vm-boundary',
      'Content-Type: text/plain; charset=us-ascii',
      'Content-Transfer-Encoding: base64',
      '',
      b64('Second part, plain ASCII.\r\n'),
      '--vm-boundary--',
      '',
    ].join('\r\n');
    const before = lint(raw, { now: NOW }).findings.filter(
      (f) => f.rule === 'needless-base64-text',
    );
    expect(before.map((f) => f.location?.part)).toEqual(['1', '2']);
    const r = await repair(raw, { now });
    const parts = (await py.check(r.raw)).parts;
    const claimed = r.applied
      .filter((f) => f.rule === 'needless-base64-text')
      .map((f) => `0.${Number(f.location!.part) - 1}`);
    for (const p of parts) {
      if (!p.contentType.startsWith('text/')) continue;
      // a part the list says was re-encoded is not base64; one still base64 is not claimed
      expect(claimed.includes(p.path)).toBe(p.cte !== 'base64');
    }
  });
});

describe('lint and repair agree on an unqualified Sender (15.8)', () => {
  it('Sender: john-bigboote is a lint error, and repair refuses it naming it as written', async () => {
    const raw = msg('To: erika@example.org', 'Sender: john-bigboote');
    expect(errors(raw)).toEqual([
      expect.objectContaining({
        rule: 'from-invalid',
        message: expect.stringContaining('Sender "john-bigboote"'),
      }),
    ]);
    const e = await refusal(repair(raw, { now }));
    expect(e.field).toBe('invalid-address:sender');
    expect(e.message).toContain('"john-bigboote"');
    expect(e.message).not.toContain('john-bigboote@');
  });
  it('a qualified Sender is no error and passes', async () => {
    const raw = msg('To: erika@example.org', 'Sender: John Bigboote <john@example.com>');
    expect(errors(raw)).toEqual([]);
    const r = await repair(raw, { now });
    expect(r.raw.equals(Buffer.from(raw))).toBe(true);
  });
});
