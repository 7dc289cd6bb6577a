/**
 * PHP's own mail() with `sendmail_path` pointing at the bundled
 * `mailhygiene-sendmail`, delivered by the real Postfix (its sendmail binary
 * and SMTP on 127.0.0.1:2525) into the oracle Maildir. The delivered bytes
 * are judged by Python's email package and postal-mime; Return-Path shows the
 * envelope sender Postfix got. Faults come from smtp-server on loopback.
 *
 * Needs php-cli and the Postfix oracle: `bash scripts/setup-oracles.sh`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildShim,
  hasProgram,
  removeSandboxes,
  runShim,
  type ShimSandbox,
  sandbox,
} from '../sendmail/support/shim.js';
import { parsePostal } from '../support/npm-parsers.js';
import {
  type PythonEmail,
  pyDisplayNameKey,
  pyFindings,
  pyFindingsOf,
  startPythonEmail,
} from '../support/python-email.js';
import { smtpError, startSmtpServer, type TestServer } from '../transport/smtp-server-helper.js';
import {
  type DeliveredMail,
  ORACLE_SMTP_HOST,
  ORACLE_SMTP_PORT,
  POSTFIX_SENDMAIL,
  waitForMail,
} from './support/postfix.js';

const BOUNCE = 'bounces@example.com';

let bin: string;
let py: PythonEmail;

beforeAll(async () => {
  if (!hasProgram('php')) {
    throw new Error('php-cli is missing: run bash scripts/setup-oracles.sh');
  }
  await new Promise<void>((resolve, reject) => {
    const sock = net.connect(ORACLE_SMTP_PORT, ORACLE_SMTP_HOST, () => {
      sock.destroy();
      resolve();
    });
    sock.once('error', (e) =>
      reject(
        new Error(`Postfix oracle not reachable (${e.message}): run bash scripts/setup-oracles.sh`),
      ),
    );
  });
  bin = await buildShim();
  py = await startPythonEmail();
}, 120_000);

afterAll(async () => {
  await py?.close();
  await removeSandboxes();
});

/** Arguments of one PHP mail() call; byte strings are passed base64-encoded, so Latin-1 survives. */
interface MailCall {
  to: string | Buffer;
  subject: string | Buffer;
  message: string | Buffer;
  headers?: string | Buffer;
  params?: string;
}

const b64 = (v: string | Buffer) =>
  (Buffer.isBuffer(v) ? v : Buffer.from(v, 'utf8')).toString('base64');

const PHP_CODE = `
$a = json_decode(getenv('MH_MAIL'), true);
$ok = mail(base64_decode($a['to']), base64_decode($a['subject']), base64_decode($a['message']),
  base64_decode($a['headers']), $a['params']);
echo $ok ? 'MAIL_TRUE' : 'MAIL_FALSE';
`;

/** Runs php -r 'mail(...)' with sendmail_path = "node <bundle> -t -i"; returns mail()'s result and stderr. */
function phpMail(call: MailCall, configPath: string): Promise<{ ok: boolean; stderr: string }> {
  const payload = JSON.stringify({
    to: b64(call.to),
    subject: b64(call.subject),
    message: b64(call.message),
    headers: b64(call.headers ?? ''),
    params: call.params ?? '',
  });
  return new Promise((resolve, reject) => {
    const child = spawn(
      'php',
      ['-n', '-d', `sendmail_path=${process.execPath} ${bin} -t -i`, '-r', PHP_CODE],
      { env: { ...process.env, MAILHYGIENE_CONFIG: configPath, MH_MAIL: payload } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0 || !/MAIL_(TRUE|FALSE)$/.test(stdout)) {
        reject(new Error(`php exited ${code}: ${stdout} ${stderr}`));
      } else {
        resolve({ ok: stdout.endsWith('MAIL_TRUE'), stderr });
      }
    });
  });
}

/** Maildir files use LF; the judges read the wire form (CRLF). */
const toCrlf = (raw: Buffer) =>
  Buffer.from(raw.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');

const delivered = (rcpt: string) =>
  waitForMail((m: DeliveredMail) => m.originalTo === rcpt, 20_000);

/** Python email: no defect, no raw-check finding; postal-mime parses it; returns both views. */
async function judge(mail: DeliveredMail, returnPath: string) {
  expect(mail.returnPath).toBe(returnPath);
  expect(mail.head).not.toMatch(/^bcc[ \t]*:/im);
  const wire = toCrlf(mail.raw);
  const r = await py.check(wire);
  // 7-bit text without a charset is US-ASCII (RFC 2045 §5.2): repair leaves it as PHP wrote it.
  expect(pyFindingsOf(r, wire)).toEqual([]);
  const postal = await parsePostal(wire);
  return { py: r, postal };
}

type Transport = 'sendmail' | 'smtp';
const TRANSPORTS: Record<Transport, Record<string, unknown>> = {
  sendmail: { type: 'sendmail', path: POSTFIX_SENDMAIL },
  smtp: {
    type: 'smtp',
    host: ORACLE_SMTP_HOST,
    port: ORACLE_SMTP_PORT,
    secure: false,
    // the oracle insists on a fully qualified EHLO name; its certificate is self-signed
    name: 'client.example.com',
    tls: { rejectUnauthorized: false },
    timeoutMs: 20_000,
  },
};

async function setup(transport: Record<string, unknown>): Promise<ShimSandbox> {
  const s = await sandbox();
  await s.writeConfig({ transport });
  return s;
}

describe.each(['sendmail', 'smtp'] as const)(
  'PHP mail() through the shim and Postfix (%s)',
  (kind) => {
    it('plain UTF-8: delivered, judged clean, Return-Path is envelopeFrom', async () => {
      const s = await setup(TRANSPORTS[kind]);
      const rcpt = `php-utf8-${randomUUID().slice(0, 8)}@oracle.test`;
      const res = await phpMail(
        {
          to: `Erika Mustermann <${rcpt}>`,
          subject: 'Grüße aus Köln ✓',
          message: 'Hallo Erika,\n\nviele Grüße aus Köln.\n.\nDie Zeile darüber ist ein Punkt.\n',
          headers: 'From: Jürgen Müller <juergen@example.com>',
        },
        s.configPath,
      );
      expect(res.stderr).toBe('');
      expect(res.ok).toBe(true);
      const { py: r, postal } = await judge(await delivered(rcpt), BOUNCE);
      expect(r.headers.subject).toBe('Grüße aus Köln ✓');
      expect(r.headers.from?.[0]).toMatchObject({
        name: 'Jürgen Müller',
        address: 'juergen@example.com',
      });
      expect(postal.subject).toBe('Grüße aus Köln ✓');
      // PHP itself appends one line end to the message; the lone "." line survives (-i)
      expect(postal.text?.replace(/\r\n/g, '\n').trimEnd()).toBe(
        'Hallo Erika,\n\nviele Grüße aus Köln.\n.\nDie Zeile darüber ist ein Punkt.',
      );
      const sent = (await s.logLines()).find((l) => l['event'] === 'sent');
      expect(sent).toMatchObject({ envelope: { from: BOUNCE, to: [rcpt] }, transport: kind });
    });

    it('raw Latin-1 bytes: decoded as the legacy charset and re-encoded as UTF-8', async () => {
      const s = await setup(TRANSPORTS[kind]);
      const rcpt = `php-latin1-${randomUUID().slice(0, 8)}@oracle.test`;
      const res = await phpMail(
        {
          to: rcpt,
          subject: Buffer.from('Grüße für Jürgen', 'latin1'),
          message: Buffer.from('Schöne Grüße,\nÄrger gibt es keinen.\n', 'latin1'),
          headers: Buffer.from('From: Jürgen <juergen@example.com>', 'latin1'),
        },
        s.configPath,
      );
      expect(res.ok).toBe(true);
      const { py: r, postal } = await judge(await delivered(rcpt), BOUNCE);
      expect(r.headers.subject).toBe('Grüße für Jürgen');
      expect(r.headers.from?.[0]?.name).toBe('Jürgen');
      expect(postal.text?.replace(/\r\n/g, '\n').trim()).toBe(
        'Schöne Grüße,\nÄrger gibt es keinen.',
      );
    });

    it('HTML without MIME: rebuilt as multipart/alternative with a text part', async () => {
      const s = await setup(TRANSPORTS[kind]);
      const rcpt = `php-html-${randomUUID().slice(0, 8)}@oracle.test`;
      const html =
        '<html><body><h1>Bestellung</h1><p>Hallo <b>Erika</b>, hier ist <a href="https://example.com/o/1">Ihre Bestellung</a>.</p></body></html>';
      const res = await phpMail(
        { to: rcpt, subject: 'Ihre Bestellung', message: html, headers: 'From: shop@example.com' },
        s.configPath,
      );
      expect(res.ok).toBe(true);
      const { py: r, postal } = await judge(await delivered(rcpt), BOUNCE);
      expect(r.parts.map((p) => p.contentType).sort()).toEqual(['text/html', 'text/plain']);
      expect(postal.html).toContain('<b>Erika</b>');
      expect(postal.text).toContain('Erika');
      expect(postal.text).toContain('https://example.com/o/1');
    });

    it("keeps a VERP sender from mail()'s fifth parameter", async () => {
      const s = await setup(TRANSPORTS[kind]);
      const tag = randomUUID().slice(0, 8);
      const rcpt = `php-verp-${tag}@oracle.test`;
      const verp = `bounce+${tag}=oracle.test@example.com`;
      const res = await phpMail(
        {
          to: rcpt,
          subject: 'VERP',
          message: 'Hallo\n',
          headers: 'From: list@example.com',
          params: `-f ${verp}`,
        },
        s.configPath,
      );
      expect(res.ok).toBe(true);
      await judge(await delivered(rcpt), verp);
    });

    it('replaces -f www-data (PHP running as the web server user) by envelopeFrom', async () => {
      const s = await setup(TRANSPORTS[kind]);
      const rcpt = `php-local-${randomUUID().slice(0, 8)}@oracle.test`;
      const res = await phpMail(
        {
          to: rcpt,
          subject: 'Lokal',
          message: 'Hallo\n',
          headers: 'From: shop@example.com',
          params: '-fwww-data',
        },
        s.configPath,
      );
      expect(res.ok).toBe(true);
      await judge(await delivered(rcpt), BOUNCE);
    });

    it('refuses a duplicate From: mail() returns false, the message is in the dead letters', async () => {
      const s = await setup(TRANSPORTS[kind]);
      const rcpt = `php-dupfrom-${randomUUID().slice(0, 8)}@oracle.test`;
      const res = await phpMail(
        {
          to: rcpt,
          subject: 'Doppelt',
          message: 'Hallo\n',
          headers: 'From: a@example.com\r\nFrom: b@example.com',
        },
        s.configPath,
      );
      expect(res.ok).toBe(false);
      expect(res.stderr).toContain(
        'mailhygiene-sendmail: repair refused (duplicate-header:from): 2 from fields',
      );
      const [dead, ...more] = await s.files(s.deadLetters);
      expect(more).toHaveLength(0);
      expect(dead!.json).toMatchObject({
        stage: 'repair',
        exitCode: 65,
        field: 'duplicate-header:from',
      });
      expect(dead!.eml.toString()).toContain(rcpt);
      // nothing reached Postfix (a delivery takes < 100 ms; 3 s is generous)
      await expect(waitForMail((m) => m.originalTo === rcpt, 3000)).rejects.toThrow(
        /no delivered mail/,
      );
    });

    it('refuses a Bcc smuggled through one \\n of a form field: mail() false, nothing delivered', async () => {
      const s = await setup(TRANSPORTS[kind]);
      const tag = randomUUID().slice(0, 8);
      const rcpt = `php-inject-${tag}@oracle.test`;
      const evil = `php-evil-${tag}@oracle.test`;
      const res = await phpMail(
        {
          to: rcpt,
          subject: 'Kontaktformular',
          message: 'Bitte um Rückruf.\n',
          // what the form copied from its e-mail field: PHP 8 refuses "\n\n" but lets one "\n" through
          headers: `From: kontakt@example.com\r\nReply-To: visitor@example.net\nBcc: ${evil}`,
        },
        s.configPath,
      );
      expect(res.ok).toBe(false);
      const [dead] = await s.files(s.deadLetters);
      expect(dead!.json).toMatchObject({
        stage: 'repair',
        exitCode: 65,
        field: 'bare-lf-in-header',
      });
      await expect(
        waitForMail((m) => m.originalTo === rcpt || m.originalTo === evil, 3000),
      ).rejects.toThrow(/no delivered mail/);
    });

    it("mail('undisclosed-recipients:;', …) with Bcc: delivered to the Bcc recipient, To kept", async () => {
      const s = await setup(TRANSPORTS[kind]);
      const rcpt = `php-undisclosed-${randomUUID().slice(0, 8)}@oracle.test`;
      const res = await phpMail(
        {
          to: 'undisclosed-recipients:;',
          subject: 'Rundschreiben',
          message: 'Liebe Mitglieder,\n',
          headers: `From: vorstand@example.com\r\nBcc: ${rcpt}`,
        },
        s.configPath,
      );
      expect(res.stderr).toBe('');
      expect(res.ok).toBe(true);
      const mail = await delivered(rcpt);
      const { py: r } = await judge(mail, BOUNCE);
      expect(r.headers.to).toEqual([]);
      expect(mail.head).toMatch(/^To: undisclosed-recipients:;$/m);
    });

    it('refuses a mail without recipient: mail() returns false, dead letter kept', async () => {
      const s = await setup(TRANSPORTS[kind]);
      const marker = `php-norcpt-${randomUUID().slice(0, 8)}`;
      const res = await phpMail(
        { to: '', subject: marker, message: 'Niemand\n', headers: 'From: shop@example.com' },
        s.configPath,
      );
      expect(res.ok).toBe(false);
      const [dead] = await s.files(s.deadLetters);
      expect(dead!.json).toMatchObject({ stage: 'repair', exitCode: 65, code: 'NO_RECIPIENTS' });
      expect(dead!.eml.toString()).toContain(marker);
    });
  },
);

/** Text in a legacy charset, encoded by Python's codecs (neither Node's nor iconv-lite). */
function pyEncode(text: string, codec: string): Buffer {
  const r = spawnSync('python3', [
    '-I',
    '-c',
    'import sys; sys.stdout.buffer.write(sys.argv[1].encode(sys.argv[2]))',
    text,
    codec,
  ]);
  if (r.status !== 0) throw new Error(`python3 could not encode in ${codec}: ${r.stderr}`);
  return r.stdout;
}

/** What PHP sites send: raw 8-bit headers and body in one legacy charset, declared or not. */
const LEGACY_CASES = [
  {
    name: 'windows-1252, undeclared (legacyCharset default): € – „ “ … ™ survive',
    codec: 'cp1252',
    subject: 'Preis 50 € – „Angebot“ …',
    fromName: 'Jürgen „Jupp“ Müller',
    body: 'Preis: 50 € – „Grüße“ … ™ œ Ÿ',
    contentType: undefined,
  },
  {
    name: 'windows-1251 declared by the text part: the raw Subject is read in it',
    codec: 'cp1251',
    subject: 'Счёт №5 — «оплачен»',
    fromName: 'Иван Петров',
    body: 'Съешь же ещё этих мягких французских булок',
    contentType: 'text/plain; charset=windows-1251',
  },
  {
    name: 'Shift_JIS declared by the text part',
    codec: 'shift_jis',
    subject: '日本語の件名',
    fromName: '山田太郎',
    body: '日本語のテキスト、こんにちは。',
    contentType: 'text/plain; charset=Shift_JIS',
  },
];

describe.each(['file', 'sendmail'] as const)(
  'PHP mail() with legacy charsets through the shim (%s transport)',
  (kind) => {
    for (const c of LEGACY_CASES) {
      it(c.name, async () => {
        const s = kind === 'file' ? await sandbox() : await setup(TRANSPORTS.sendmail);
        const rcpt = `php-legacy-${randomUUID().slice(0, 8)}@oracle.test`;
        const head = [`From: "${c.fromName}" <sender@example.com>`];
        if (c.contentType) head.push('MIME-Version: 1.0', `Content-Type: ${c.contentType}`);
        const res = await phpMail(
          {
            to: rcpt,
            subject: pyEncode(c.subject, c.codec),
            message: pyEncode(`${c.body}\n`, c.codec),
            headers: pyEncode(head.join('\r\n'), c.codec),
          },
          s.configPath,
        );
        expect(res.stderr).toBe('');
        expect(res.ok).toBe(true);
        let r: Awaited<ReturnType<PythonEmail['check']>>;
        if (kind === 'file') {
          const [sent, ...more] = await s.files(s.outbox);
          expect(more).toHaveLength(0);
          r = await py.check(sent!.eml);
          expect(pyFindings(r)).toEqual([]);
        } else {
          r = (await judge(await delivered(rcpt), BOUNCE)).py;
        }
        expect(r.headers.subject).toBe(c.subject);
        expect(pyDisplayNameKey(r.headers.from?.[0]?.name ?? '')).toBe(
          pyDisplayNameKey(c.fromName),
        );
        const text = r.parts.find((p) => p.contentType === 'text/plain');
        expect(text?.charset).toBe('utf-8');
        expect(text?.text?.replace(/\r\n/g, '\n').trim()).toBe(c.body);
      });
    }
  },
);

describe('Resent-* with -t: the shim delivers where Postfix sendmail -t delivers', () => {
  const ROLES = ['to', 'bcc', 'resent-to', 'resent-bcc'] as const;
  function resend(tag: string): string {
    const a = (role: string) => `${role}-${tag}@oracle.test`;
    return [
      'From: shop@example.com',
      `To: ${a('to')}`,
      `Bcc: ${a('bcc')}`,
      'Resent-From: support@example.com',
      `Resent-To: ${a('resent-to')}`,
      `Resent-Bcc: ${a('resent-bcc')}`,
      `Subject: resend ${tag}`,
      '',
      'Bestellung 4711',
      '',
    ].join('\n');
  }
  /** Which roles got the message (a delivery takes < 100 ms; 5 s is generous). */
  async function deliveredRoles(tag: string) {
    const got = await Promise.all(
      ROLES.map((role) =>
        waitForMail((m) => m.originalTo === `${role}-${tag}@oracle.test`, 5000).then(
          (m) => ({ role, head: m.head }),
          () => undefined,
        ),
      ),
    );
    return got.filter((g) => g !== undefined);
  }

  it('same recipients, Bcc and Resent-Bcc removed by both', async () => {
    const postfixTag = `pf${randomUUID().slice(0, 8)}`;
    const shimTag = `mh${randomUUID().slice(0, 8)}`;
    const direct = spawn(POSTFIX_SENDMAIL, ['-t', '-i', '-f', BOUNCE]);
    direct.stdin.end(resend(postfixTag));
    expect(await new Promise((r) => direct.on('close', r))).toBe(0);
    const s = await setup(TRANSPORTS.sendmail);
    const shim = await runShim(bin, ['-t', '-i'], resend(shimTag), {
      MAILHYGIENE_CONFIG: s.configPath,
    });
    expect(shim.code).toBe(0);
    const [byPostfix, byShim] = await Promise.all([
      deliveredRoles(postfixTag),
      deliveredRoles(shimTag),
    ]);
    expect(byPostfix.map((g) => g.role)).toEqual(['resent-to', 'resent-bcc']);
    expect(byShim.map((g) => g.role)).toEqual(byPostfix.map((g) => g.role));
    for (const g of [...byPostfix, ...byShim]) expect(g.head).not.toMatch(/^(resent-)?bcc:/im);
  });
});

describe('relay faults (PHP mail() through the shim to a loopback smtp-server)', () => {
  let server: TestServer | undefined;
  afterAll(async () => {
    await server?.close();
  });

  async function refusedPort(): Promise<number> {
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const { port } = srv.address() as net.AddressInfo;
    await new Promise<void>((r) => srv.close(() => r()));
    return port;
  }

  async function faultCase(port: number) {
    const s = await setup({
      type: 'smtp',
      host: '127.0.0.1',
      port,
      secure: false,
      timeoutMs: 10_000,
    });
    const rcpt = `php-fault-${randomUUID().slice(0, 8)}@example.com`;
    const call = {
      to: rcpt,
      subject: 'Fehler',
      message: 'Hallo\n',
      headers: 'From: shop@example.com',
    };
    const res = await phpMail(call, s.configPath);
    const [dead, ...more] = await s.files(s.deadLetters);
    expect(more).toHaveLength(0);
    expect(dead!.json).toMatchObject({
      stage: 'transport',
      transport: 'smtp',
      content: 'repaired',
    });
    expect(dead!.eml.toString()).toContain(rcpt);
    // the same message straight into the shim (async: the fault server runs in this process)
    const direct = await runShim(
      bin,
      ['-t', '-i'],
      `To: ${rcpt}\nSubject: Fehler\nFrom: shop@example.com\n\nHallo\n`,
      { MAILHYGIENE_CONFIG: s.configPath },
    );
    return { res, dead: dead!, exit: direct.code };
  }

  it('relay down (connection refused) → 75, dead letter, mail() returns false', async () => {
    const { res, dead, exit } = await faultCase(await refusedPort());
    expect(res.ok).toBe(false);
    expect(exit).toBe(75);
    expect(dead.json).toMatchObject({ exitCode: 75, temporary: true });
  });

  it('4xx from the relay → 75, dead letter, mail() returns false', async () => {
    server = await startSmtpServer({
      onRcptTo(_address, _session, callback) {
        callback(smtpError(451, '4.3.0 Try again later'));
      },
    });
    const { res, dead, exit } = await faultCase(server.port);
    await server.close();
    server = undefined;
    expect(res.ok).toBe(false);
    expect(exit).toBe(75);
    expect(dead.json).toMatchObject({ exitCode: 75, temporary: true });
  });

  it('5xx for every recipient → 67, dead letter, mail() returns false', async () => {
    server = await startSmtpServer({
      onRcptTo(_address, _session, callback) {
        callback(smtpError(550, '5.1.1 No such user'));
      },
    });
    const { res, dead, exit } = await faultCase(server.port);
    await server.close();
    server = undefined;
    expect(res.ok).toBe(false);
    expect(exit).toBe(67);
    expect(dead.json).toMatchObject({ exitCode: 67, temporary: false });
  });

  it('5xx after DATA → 69, dead letter, mail() returns false', async () => {
    server = await startSmtpServer({
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => callback(smtpError(554, '5.6.0 Message refused')));
      },
    });
    const { res, dead, exit } = await faultCase(server.port);
    await server.close();
    server = undefined;
    expect(res.ok).toBe(false);
    expect(exit).toBe(69);
    expect(dead.json).toMatchObject({ exitCode: 69, temporary: false });
  });
});
