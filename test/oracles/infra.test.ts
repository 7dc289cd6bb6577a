/**
 * Proves the judges themselves work, on known fixtures, before any test
 * trusts them with the library's output: Postfix (strict, loopback) accepts
 * a good message and refuses the classic defects, the sendmail path delivers,
 * SpamAssassin scores, Python and the npm parsers read what they should.
 * Needs `bash scripts/setup-oracles.sh` (run by .ci/run).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBoth, parserDifferences } from '../support/npm-parsers.js';
import { type PythonEmail, pyFindings, startPythonEmail } from '../support/python-email.js';
import {
  ORACLE_SMTPS_PORT,
  openSmtp,
  postfixSendmail,
  smtpSend,
  waitForMail,
} from './support/postfix.js';
import { spamCheck } from './support/spamassassin.js';

const sample = (name: string) =>
  readFileSync(new URL(`../fixtures/samples/${name}`, import.meta.url));
const id = () => randomUUID().slice(0, 8);
/** Body after the header block, with LF line endings (Postfix stores LF). */
const bodyOf = (b: Buffer) => {
  const t = b.toString('latin1').replace(/\r\n/g, '\n');
  return t.slice(t.indexOf('\n\n') + 2);
};

describe('Postfix oracle (127.0.0.1:2525, strict)', () => {
  it('accepts good.eml over SMTP and delivers it with Return-Path = envelope sender', async () => {
    const tag = id();
    const rcpt = `infra-${tag}@oracle.test`;
    const from = `bounces+${tag}@example.com`; // differs from the From: header on purpose
    const res = await smtpSend(sample('good.eml'), { from, to: [rcpt] });
    expect(res.data?.code, JSON.stringify(res.replies)).toBe(250);
    expect(res.ok).toBe(true);
    expect(res.queueId).toMatch(/^[0-9A-Za-z]+$/);

    const mail = await waitForMail(rcpt);
    expect(mail.returnPath).toBe(from);
    expect(mail.deliveredTo).toEqual([rcpt]);
    expect(mail.originalTo).toBe(rcpt);
    expect(mail.head).toMatch(
      /^From: =\?UTF-8\?Q\?J=C3=BCrgen_M=C3=BCller\?= <juergen@example\.com>$/m,
    );
    // nothing rewritten or added below the trace headers: the body is byte-identical
    expect(bodyOf(mail.raw)).toBe(bodyOf(sample('good.eml')));
  });

  it("refuses bad.eml's bare LF line endings with 550", async () => {
    const res = await smtpSend(sample('bad.eml'), {
      from: 'a@example.com',
      to: [`bare-lf-${id()}@oracle.test`],
    });
    expect(res.ok).toBe(false);
    expect(res.data?.code, JSON.stringify(res.replies)).toBe(550);
    expect(res.data?.text).toMatch(/bare <LF>/);
  });

  it('refuses raw UTF-8 in a header (strict_7bit_headers), even with SMTPUTF8', async () => {
    const raw = Buffer.from(
      sample('good.eml')
        .toString('latin1')
        .replace(
          /^Subject: .*$/m,
          Buffer.from('Subject: Grüße aus Köln', 'utf8').toString('latin1'),
        ),
      'latin1',
    );
    for (const smtputf8 of [false, true]) {
      const res = await smtpSend(
        raw,
        { from: 'a@example.com', to: [`utf8-${id()}@oracle.test`] },
        { smtputf8 },
      );
      expect(res.data?.code, JSON.stringify(res.replies)).toBe(550);
      expect(res.data?.enhanced).toBe('5.6.0');
      expect(res.data?.text).toMatch(/8-bit data in message header/);
    }
  });

  it('carries several messages on one connection (RSET) and keeps dot-stuffed lines intact', async () => {
    const session = await openSmtp();
    try {
      expect(session.extensions).toContain('STARTTLS');
      expect(session.extensions).toContain('SMTPUTF8');
      const tags = [id(), id()];
      for (const tag of tags) {
        const raw = sample('good.eml')
          .toString('latin1')
          .replace('zum Kaffee.', `zum Kaffee.\r\n.${tag} starts with a dot\r\n..two dots`);
        const res = await session.send(Buffer.from(raw, 'latin1'), {
          from: 'bounces@example.com',
          to: [`multi-${tag}@oracle.test`],
        });
        expect(res.ok, JSON.stringify(res.replies)).toBe(true);
      }
      for (const tag of tags) {
        const mail = await waitForMail(`multi-${tag}@oracle.test`);
        expect(bodyOf(mail.raw)).toContain(`zum Kaffee.\n.${tag} starts with a dot\n..two dots\n`);
      }
    } finally {
      await session.close();
    }
  });

  it('refuses what a careful MX refuses: foreign domains, unqualified sender and recipient', async () => {
    const raw = sample('good.eml');
    const relay = await smtpSend(raw, { from: 'a@example.com', to: ['someone@gmail.com'] });
    expect(relay.rejected[0]?.reply.code).toBe(554);
    expect(relay.rejected[0]?.reply.text).toMatch(/Relay access denied/);
    expect(relay.data).toBeUndefined();

    const local = await smtpSend(raw, { from: 'wwwrun@localhost', to: ['x@oracle.test'] });
    expect(local.ok).toBe(false);
    const senderReply = local.mail?.code === 250 ? local.rejected[0]?.reply : local.mail;
    expect(senderReply?.code).toBe(504);
    expect(senderReply?.text).toMatch(/need fully-qualified address/);

    const mixed = await smtpSend(raw, {
      from: 'a@example.com',
      to: ['x@oracle', `ok-${id()}@oracle.test`],
    });
    expect(mixed.rejected.map((r) => [r.address, r.reply.code])).toEqual([['x@oracle', 504]]);
    expect(mixed.accepted).toHaveLength(1);
    expect(mixed.ok).toBe(true);
  });

  it('offers implicit TLS on the smtps port', async () => {
    const banner = await new Promise<string>((resolve, reject) => {
      const s = tls.connect({
        host: '127.0.0.1',
        port: ORACLE_SMTPS_PORT,
        rejectUnauthorized: false,
      });
      s.setEncoding('latin1');
      s.once('data', (d: string) => {
        resolve(d);
        s.end('QUIT\r\n');
      });
      s.once('error', reject);
    });
    expect(banner).toMatch(/^220 /);
  });

  it('delivers through /usr/sbin/sendmail -i -f … -- into the same Maildir', async () => {
    const tag = id();
    const rcpt = `sendmail-${tag}@oracle.test`;
    const from = `bounce+${tag}@example.org`;
    const r = await postfixSendmail(sample('good.eml'), { from, to: [rcpt] });
    expect(r.code, r.stderr).toBe(0);
    const mail = await waitForMail((m) => m.originalTo === rcpt);
    expect(mail.returnPath).toBe(from);
    expect(mail.deliveredTo).toEqual([rcpt]);
    expect(bodyOf(mail.raw)).toBe(bodyOf(sample('good.eml')));
  });
});

describe('SpamAssassin oracle (spamd 127.0.0.1:7830, local tests)', () => {
  it('gives bad.eml MISSING_DATE and MISSING_MID', async () => {
    const r = await spamCheck(sample('bad.eml'), { via: 'spamd' });
    const names = r.rules.map((x) => x.name);
    expect(names).toContain('MISSING_DATE');
    expect(names).toContain('MISSING_MID');
    expect(names).not.toContain('NO_RECEIVED'); // raw-file noise is filtered
    expect(r.rules.find((x) => x.name === 'MISSING_DATE')?.score).toBeGreaterThan(0);
    expect(r.score).toBeGreaterThan(2);
  });

  it('gives good.eml no positive points', async () => {
    const r = await spamCheck(sample('good.eml'), { via: 'spamd' });
    expect(r.positive, r.report).toEqual([]);
    expect(r.score).toBeLessThanOrEqual(0);
  });

  it('the spamassassin fallback finds the same rules as spamd', async () => {
    const viaSpamd = await spamCheck(sample('bad-latin1.eml'), { via: 'spamd' });
    const viaPerl = await spamCheck(sample('bad-latin1.eml'), { via: 'spamassassin' });
    expect(viaPerl.via).toBe('spamassassin');
    const names = (r: typeof viaSpamd) => r.rules.map((x) => x.name).sort();
    expect(names(viaPerl)).toEqual(names(viaSpamd));
    expect(names(viaSpamd)).toContain('SUBJ_ILLEGAL_CHARS');
  });
});

describe('content judges on the fixtures', () => {
  let py: PythonEmail;
  beforeAll(async () => {
    py = await startPythonEmail();
  });
  afterAll(async () => {
    await py.close();
  });

  it('Python email reports the defects of bad-multipart.eml and none for good.eml', async () => {
    expect(pyFindings(await py.check(sample('good.eml')))).toEqual([]);
    const bad = await py.check(sample('bad-multipart.eml'));
    const types = bad.defects.map((d) => d.type);
    expect(types).toContain('MissingHeaderBodySeparatorDefect');
    expect(types).toContain('CloseBoundaryNotFoundDefect');
    expect(types).toContain('InvalidBase64PaddingDefect');
    expect(bad.rawChecks.map((c) => c.code)).toContain('declared-7bit-with-8bit');
  });

  it('postal-mime and mailparser agree on good.eml', async () => {
    const { postal, mailparser } = await parseBoth(sample('good.eml'));
    expect(parserDifferences(postal, mailparser)).toEqual([]);
    expect(mailparser.subject).toBe('Grüße aus Köln');
    expect(mailparser.html).toContain('<p>Viele Grüße<br>Jürgen</p>');
  });
});
