/**
 * The bundled `mailhygiene-sendmail` as PHP runs it: a child process with a
 * message on stdin, judged by exit status, the files it leaves (outbox,
 * dead letters) and its log lines.
 */
import { readFileSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lint } from '../../src/lint/index.js';
import { parsePostal } from '../support/npm-parsers.js';
import { FAKE_SENDMAIL, readFakeRecord } from '../transport/helpers.js';
import { smtpError, startSmtpServer } from '../transport/smtp-server-helper.js';
import { buildShim, REPO, removeSandboxes, runShim, sandbox } from './support/shim.js';

let bin: string;
beforeAll(async () => {
  bin = await buildShim();
}, 60_000);
afterAll(removeSandboxes);

/** What PHP's mail('erika@example.org', 'Grüße', "Hallo …", $headers) writes to sendmail (LF). */
function phpMail(
  opts: { to?: string; subject?: string; headers?: string[]; body?: string } = {},
): Buffer {
  const lines = [
    ...(opts.to === '' ? [] : [`To: ${opts.to ?? 'erika@example.org'}`]),
    `Subject: ${opts.subject ?? 'Grüße aus Köln'}`,
    ...(opts.headers ?? ['From: Web Shop <shop@example.com>']),
    '',
    opts.body ?? 'Hallo Erika,\nviele Grüße.\n',
  ];
  return Buffer.from(lines.join('\n'), 'utf8');
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/**
 * What `npm install -g mailhygiene` puts beside the package: its runtime
 * dependencies and theirs (from package-lock.json), linked from this repo.
 */
async function linkRuntimeDependencies(into: string): Promise<void> {
  const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dependencies?: Record<string, string> }>;
  };
  const names = new Set<string>();
  const visit = (name: string) => {
    if (names.has(name)) return;
    names.add(name);
    for (const dep of Object.keys(lock.packages[`node_modules/${name}`]?.dependencies ?? {}))
      visit(dep);
  };
  for (const dep of Object.keys(lock.packages['']?.dependencies ?? {})) visit(dep);
  await mkdir(into, { recursive: true });
  for (const name of names)
    await symlink(join(REPO, 'node_modules', name), join(into, name), 'dir');
}

describe('mailhygiene-sendmail (bundled, as a child process)', () => {
  it('sends a typical PHP mail: exit 0, envelopeFrom as sender, one JSON log line', async () => {
    const s = await sandbox();
    const r = await runShim(bin, ['-t', '-i'], phpMail(), { MAILHYGIENE_CONFIG: s.configPath });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [sent, ...more] = await s.files(s.outbox);
    expect(more).toHaveLength(0);
    expect(sent!.json['envelope']).toEqual({
      from: 'bounces@example.com',
      to: ['erika@example.org'],
    });
    // the repaired bytes lint clean and decode to what PHP meant
    expect(lint(sent!.eml).errors).toBe(0);
    const parsed = await parsePostal(sent!.eml);
    expect(parsed.subject).toBe('Grüße aus Köln');
    expect(parsed.text?.trim()).toBe('Hallo Erika,\nviele Grüße.');
    const log = await s.logLines();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      level: 'info',
      event: 'sent',
      messageId: sent!.json['messageId'],
      envelope: { from: 'bounces@example.com', to: ['erika@example.org'] },
      transport: 'file',
    });
    expect(log[0]!['applied']).toEqual(
      expect.arrayContaining(['missing-date', 'missing-message-id']),
    );
    expect(String(log[0]!['response'])).toContain(s.outbox);
    expect(Date.parse(String(log[0]!['time']))).not.toBeNaN();
  });

  it('keeps a VERP sender given with -f', async () => {
    const s = await sandbox();
    const r = await runShim(bin, ['-t', '-i', '-f', 'bounce+id=x@example.com'], phpMail(), {
      MAILHYGIENE_CONFIG: s.configPath,
    });
    expect(r.code).toBe(0);
    const [sent] = await s.files(s.outbox);
    expect(sent!.json['envelope']).toMatchObject({ from: 'bounce+id=x@example.com' });
  });

  it('replaces a local -f www-data by envelopeFrom and logs why', async () => {
    const s = await sandbox();
    const r = await runShim(bin, ['-t', '-i', '-fwww-data'], phpMail(), {
      MAILHYGIENE_CONFIG: s.configPath,
    });
    expect(r.code).toBe(0);
    const [sent] = await s.files(s.outbox);
    expect(sent!.json['envelope']).toMatchObject({ from: 'bounces@example.com' });
    const replaced = (await s.logLines()).find((l) => l['event'] === 'sender-replaced');
    expect(replaced).toMatchObject({ requested: 'www-data', used: 'bounces@example.com' });
  });

  it('with -t takes Bcc into the envelope and removes it from the bytes; argument recipients are added', async () => {
    const s = await sandbox();
    const msg = phpMail({
      headers: [
        'From: Web Shop <shop@example.com>',
        'Cc: ops@example.net',
        'Bcc: hidden@example.net, archive@example.org',
      ],
    });
    const r = await runShim(bin, ['-t', '-i', 'extra@example.com'], msg, {
      MAILHYGIENE_CONFIG: s.configPath,
    });
    expect(r.code).toBe(0);
    const [sent] = await s.files(s.outbox);
    expect((sent!.json['envelope'] as { to: string[] }).to.sort()).toEqual(
      [
        'archive@example.org',
        'erika@example.org',
        'extra@example.com',
        'hidden@example.net',
        'ops@example.net',
      ].sort(),
    );
    const text = sent!.eml.toString('latin1');
    expect(text).not.toMatch(/^bcc\s*:/im);
    expect(text).not.toContain('hidden@example.net');
    expect(text).toMatch(/^Cc: ops@example\.net\r$/m);
  });

  it('without -t sends only to the argument recipients', async () => {
    const s = await sandbox();
    const r = await runShim(bin, ['-i', 'only@example.com'], phpMail(), {
      MAILHYGIENE_CONFIG: s.configPath,
    });
    expect(r.code).toBe(0);
    const [sent] = await s.files(s.outbox);
    expect(sent!.json['envelope']).toEqual({
      from: 'bounces@example.com',
      to: ['only@example.com'],
    });
  });

  it('ends the message at a lone "." without -i, keeps it with -i (CRLF input too)', async () => {
    const s = await sandbox();
    const body = 'first\r\n.\r\nsecond\r\n';
    const crlf = Buffer.from(
      phpMail({ body }).toString('utf8').replace(/\n/g, '\r\n').replace(/\r\r/g, '\r'),
    );
    expect((await runShim(bin, ['-t'], crlf, { MAILHYGIENE_CONFIG: s.configPath })).code).toBe(0);
    expect(
      (await runShim(bin, ['-t', '-oi'], crlf, { MAILHYGIENE_CONFIG: s.configPath })).code,
    ).toBe(0);
    const texts = await Promise.all(
      (await s.files(s.outbox)).map(async (f) => (await parsePostal(f.eml)).text ?? ''),
    );
    const cut = texts.find((t) => !t.includes('second'));
    const whole = texts.find((t) => t.includes('second'));
    expect(cut?.trim()).toBe('first');
    expect(whole?.replace(/\r\n/g, '\n').trim()).toBe('first\n.\nsecond');
  });

  it('logs ignored compatibility options at debug level', async () => {
    const s = await sandbox();
    await s.writeConfig({ debug: true });
    const r = await runShim(bin, ['-t', '-i', '-odi', '-oem', '-v', '-U', '-Am'], phpMail(), {
      MAILHYGIENE_CONFIG: s.configPath,
    });
    expect(r.code).toBe(0);
    const debug = (await s.logLines()).find((l) => l['event'] === 'ignored-options');
    expect(debug).toMatchObject({ level: 'debug', options: ['-odi', '-oem', '-v', '-U', '-Am'] });
  });

  it.each([
    [['-t', '-X', '/tmp/log'], /unknown option -X/],
    [['-t', '-C/etc/evil.cf'], /unknown option -C/],
    [['-bs'], /unsupported mode -bs/],
    [['-i'], /no recipients/],
  ])('exits 64 for %j and writes nothing', async (argv, message) => {
    const s = await sandbox();
    const r = await runShim(bin, argv, phpMail(), { MAILHYGIENE_CONFIG: s.configPath });
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('usage: mailhygiene-sendmail');
    expect(await s.files(s.outbox)).toHaveLength(0);
    expect(await s.files(s.deadLetters)).toHaveLength(0);
  });

  it('--help prints the usage on stdout and exits 0, without a config or a message', async () => {
    const r = await runShim(bin, ['--help'], '', { MAILHYGIENE_CONFIG: '/nonexistent/none.json' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('usage: mailhygiene-sendmail');
    expect(r.stdout).toContain('--help');
    expect(r.stderr).toBe('');
  });

  it('exits 78 with a readable message for a missing, broken or invalid config', async () => {
    const s = await sandbox();
    const missing = await runShim(bin, ['-t', '-i'], phpMail(), {
      MAILHYGIENE_CONFIG: join(s.dir, 'nope.json'),
    });
    expect(missing.code).toBe(78);
    expect(missing.stderr).toContain('nope.json: not found');
    await writeFile(s.configPath, '{ "transport": ');
    const broken = await runShim(bin, ['-t', '-i'], phpMail(), {
      MAILHYGIENE_CONFIG: s.configPath,
    });
    expect(broken.code).toBe(78);
    expect(broken.stderr).toContain('not valid JSON');
    await s.writeConfig({ envelopeFrom: 'www-data@localhost', transport: { type: 'smtp' } });
    const invalid = await runShim(bin, ['-t', '-i'], phpMail(), {
      MAILHYGIENE_CONFIG: s.configPath,
    });
    expect(invalid.code).toBe(78);
    expect(invalid.stderr).toContain('envelopeFrom:');
    expect(invalid.stderr).toContain('transport.host: is required');
  });

  it('refuses a duplicate From with 65 and keeps the original bytes with the reason', async () => {
    const s = await sandbox();
    const msg = phpMail({ headers: ['From: a@example.com', 'From: b@example.com'] });
    const r = await runShim(bin, ['-t', '-i'], msg, { MAILHYGIENE_CONFIG: s.configPath });
    expect(r.code).toBe(65);
    expect(r.stderr).toContain('message kept in');
    expect(await s.files(s.outbox)).toHaveLength(0);
    const [dead, ...more] = await s.files(s.deadLetters);
    expect(more).toHaveLength(0);
    expect(dead!.eml.equals(msg)).toBe(true);
    expect(dead!.json).toMatchObject({
      stage: 'repair',
      exitCode: 65,
      code: 'REPAIR_REFUSED',
      field: 'duplicate-header:from',
      content: 'original',
      argv: ['-t', '-i'],
    });
    expect(r.stderr).toContain(dead!.name);
    // The reason once, not "refused: repair refused (…)".
    expect(r.stderr).toContain(': repair refused (duplicate-header:from): ');
    expect(r.stderr).not.toContain('refused: repair refused');
    const log = await s.logLines();
    expect(log.at(-1)).toMatchObject({ level: 'error', event: 'refused', exitCode: 65 });
  });

  it('-t with argument recipients sends a message whose headers name nobody', async () => {
    const s = await sandbox();
    const r = await runShim(bin, ['-t', '-i', 'extra@example.com'], phpMail({ to: '' }), {
      MAILHYGIENE_CONFIG: s.configPath,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [sent] = await s.files(s.outbox);
    expect(sent!.json['envelope']).toEqual({
      from: 'bounces@example.com',
      to: ['extra@example.com'],
    });
    expect(await s.files(s.deadLetters)).toHaveLength(0);
  });

  it('refuses a message without recipients (-t, no To/Cc/Bcc) with 65 and a dead letter', async () => {
    const s = await sandbox();
    const r = await runShim(bin, ['-t', '-i'], phpMail({ to: '' }), {
      MAILHYGIENE_CONFIG: s.configPath,
    });
    expect(r.code).toBe(65);
    const [dead] = await s.files(s.deadLetters);
    expect(dead!.json).toMatchObject({ stage: 'repair', code: 'NO_RECIPIENTS' });
  });

  it.each([
    [75, 75, true],
    [67, 67, false],
    [69, 69, false],
    [78, 69, false],
  ])(
    'sendmail transport exiting %i → exit %i, repaired message in the dead letters',
    async (fakeExit, expected, temporary) => {
      const s = await sandbox();
      const record = join(s.dir, 'fake.json');
      await s.writeConfig({ transport: { type: 'sendmail', path: FAKE_SENDMAIL } });
      const r = await runShim(bin, ['-t', '-i', '-f', 'bounce+id=x@example.com'], phpMail(), {
        MAILHYGIENE_CONFIG: s.configPath,
        FAKE_SENDMAIL_OUT: record,
        FAKE_SENDMAIL_EXIT: String(fakeExit),
        FAKE_SENDMAIL_STDERR: 'fake MTA says no',
      });
      expect(r.code).toBe(expected);
      // the MTA got our argv: no shell, envelope after --
      const fake = await readFakeRecord(record);
      expect(fake.argv).toEqual(['-i', '-f', 'bounce+id=x@example.com', '--', 'erika@example.org']);
      const [dead] = await s.files(s.deadLetters);
      expect(dead!.eml.equals(fake.stdin)).toBe(true);
      expect(dead!.json).toMatchObject({
        stage: 'transport',
        exitCode: expected,
        temporary,
        content: 'repaired',
        transport: 'sendmail',
        envelope: { from: 'bounce+id=x@example.com', to: ['erika@example.org'] },
      });
      expect(String(dead!.json['reason'])).toContain('fake MTA says no');
    },
  );

  it('hands a message to a working sendmail with exit 0 and nothing in the dead letters', async () => {
    const s = await sandbox();
    const record = join(s.dir, 'fake.json');
    await s.writeConfig({ transport: { type: 'sendmail', path: FAKE_SENDMAIL, args: ['-oi'] } });
    const r = await runShim(bin, ['-t', '-i'], phpMail(), {
      MAILHYGIENE_CONFIG: s.configPath,
      FAKE_SENDMAIL_OUT: record,
    });
    expect(r.code).toBe(0);
    const fake = await readFakeRecord(record);
    expect(fake.argv).toEqual([
      '-oi',
      '-i',
      '-f',
      'bounces@example.com',
      '--',
      'erika@example.org',
    ]);
    expect(lint(fake.stdin).errors).toBe(0);
    expect(await s.files(s.deadLetters)).toHaveLength(0);
  });

  it('refuses to run when its sendmail transport points back at itself (loop guard → 78)', async () => {
    const s = await sandbox();
    const self = join(s.dir, 'self.sh');
    await writeFile(self, `#!/bin/sh\nexec "${process.execPath}" "${bin}" "$@"\n`);
    await chmod(self, 0o755);
    await s.writeConfig({ transport: { type: 'sendmail', path: self } });
    const r = await runShim(bin, ['-t', '-i'], phpMail(), { MAILHYGIENE_CONFIG: s.configPath });
    // the inner shim exits 78 (EX_CONFIG), which the outer one reports as permanent
    expect(r.code).toBe(69);
    expect(r.stderr).toContain('called by its own sendmail transport');
    expect(await s.files(s.deadLetters)).toHaveLength(1);
  });

  it('SMTP relay without nodemailer installed (npm install -g mailhygiene alone) → 78 naming the global install', async () => {
    // The bundle copied outside the repository: no node_modules above it holds nodemailer,
    // as for `npm install -g mailhygiene` without `npm install -g nodemailer`.
    const global = await mkdtemp(join(tmpdir(), 'mh-global-'));
    try {
      const copy = join(global, 'lib/node_modules/mailhygiene/dist');
      await cp(dirname(dirname(bin)), copy, { recursive: true });
      await linkRuntimeDependencies(join(global, 'lib/node_modules/mailhygiene/node_modules'));
      const s = await sandbox();
      await s.writeConfig({
        transport: { type: 'smtp', host: '127.0.0.1', port: await freePort(), secure: false },
      });
      const r = await runShim(join(copy, 'cli/sendmail.cjs'), ['-t', '-i'], phpMail(), {
        MAILHYGIENE_CONFIG: s.configPath,
      });
      expect(r.code).toBe(78);
      expect(r.stderr).toContain('needs the nodemailer package');
      expect(r.stderr).toContain('npm install -g nodemailer');
      expect(await s.files(s.deadLetters)).toHaveLength(0);
      // What the hint says: `npm install -g nodemailer` puts it beside the global mailhygiene.
      await symlink(
        join(REPO, 'node_modules/nodemailer'),
        join(global, 'lib/node_modules/nodemailer'),
      );
      const again = await runShim(join(copy, 'cli/sendmail.cjs'), ['-t', '-i'], phpMail(), {
        MAILHYGIENE_CONFIG: s.configPath,
      });
      expect(again.stderr).toContain('ECONNREFUSED');
      expect(again.code).toBe(75); // found it; the relay is down (connection refused)
    } finally {
      await rm(global, { recursive: true, force: true });
    }
  });

  it('SMTP relay with a self-signed certificate → 78 (configuration), a dead letter and a hint at tls', async () => {
    const fixture = (name: string) =>
      readFileSync(new URL(`../fixtures/tls/relay-self-signed.${name}.pem`, import.meta.url));
    const server = await startSmtpServer({
      hideSTARTTLS: false,
      key: fixture('key'),
      cert: fixture('cert'),
    });
    try {
      const s = await sandbox();
      await s.writeConfig({
        transport: {
          type: 'smtp',
          host: '127.0.0.1',
          port: server.port,
          secure: false,
          requireTLS: true,
          timeoutMs: 5000,
        },
      });
      const r = await runShim(bin, ['-t', '-i'], phpMail(), { MAILHYGIENE_CONFIG: s.configPath });
      expect(r.code).toBe(78);
      expect(r.stderr).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
      expect(r.stderr).toMatch(/tls/);
      const [dead] = await s.files(s.deadLetters);
      expect(dead!.json).toMatchObject({ stage: 'transport', temporary: false, exitCode: 78 });
      expect(server.received).toHaveLength(0);
    } finally {
      await server.close();
    }
  });

  it('SMTP relay down (connection refused) → 75 and a dead letter', async () => {
    const s = await sandbox();
    const port = await freePort();
    await s.writeConfig({
      transport: { type: 'smtp', host: '127.0.0.1', port, secure: false, timeoutMs: 5000 },
    });
    const r = await runShim(bin, ['-t', '-i'], phpMail(), { MAILHYGIENE_CONFIG: s.configPath });
    expect(r.code).toBe(75);
    const [dead] = await s.files(s.deadLetters);
    expect(dead!.json).toMatchObject({
      stage: 'transport',
      temporary: true,
      transport: 'smtp',
      exitCode: 75,
    });
    expect(lint(dead!.eml).errors).toBe(0);
  });

  it('SMTP relay refusing one of two recipients: exit 0, a dead letter addressed to the refused one', async () => {
    const server = await startSmtpServer({
      onRcptTo(address, _session, callback) {
        callback(
          address.address.startsWith('gone') ? smtpError(550, '5.1.1 No such user') : undefined,
        );
      },
    });
    try {
      const s = await sandbox();
      await s.writeConfig({
        transport: {
          type: 'smtp',
          host: '127.0.0.1',
          port: server.port,
          secure: false,
          timeoutMs: 5000,
        },
      });
      const msg = phpMail({ to: 'erika@example.org, gone@example.org' });
      const r = await runShim(bin, ['-t', '-i'], msg, { MAILHYGIENE_CONFIG: s.configPath });
      expect(r.code).toBe(0);
      expect(server.received).toHaveLength(1);
      expect(server.received[0]!.to).toEqual(['erika@example.org']);
      const [dead, ...more] = await s.files(s.deadLetters);
      expect(more).toHaveLength(0);
      expect(dead!.json).toMatchObject({
        stage: 'transport',
        exitCode: 0,
        envelope: { from: 'bounces@example.com', to: ['gone@example.org'] },
      });
      expect(dead!.eml.equals(server.received[0]!.raw)).toBe(true);
      const sent = (await s.logLines()).find((l) => l['event'] === 'sent');
      expect(sent).toMatchObject({
        accepted: ['erika@example.org'],
        rejected: ['gone@example.org'],
      });
    } finally {
      await server.close();
    }
  });

  it('exits 75 and says so on stderr when even the dead letter cannot be written', async () => {
    const s = await sandbox();
    const blocked = join(s.dir, 'blocked');
    await writeFile(blocked, 'a file where the directory should be');
    await s.writeConfig({ deadLetterDir: join(blocked, 'dead') });
    const msg = phpMail({ headers: ['From: a@example.com', 'From: b@example.com'] });
    const r = await runShim(bin, ['-t', '-i'], msg, { MAILHYGIENE_CONFIG: s.configPath });
    expect(r.code).toBe(75);
    expect(r.stderr).toContain('cannot write dead letter');
    expect(r.stderr).toContain('NOT saved');
    expect((await s.logLines()).at(-1)).toMatchObject({ event: 'lost', exitCode: 75 });
  });

  it('refuses an invalid recipient argument with 67 (nothing passed on as an option)', async () => {
    const s = await sandbox();
    const r = await runShim(bin, ['-i', '--', '-oQ/tmp'], phpMail(), {
      MAILHYGIENE_CONFIG: s.configPath,
    });
    expect(r.code).toBe(67);
    expect(await s.files(s.outbox)).toHaveLength(0);
    const [dead] = await s.files(s.deadLetters);
    expect(dead!.json).toMatchObject({ stage: 'envelope', code: 'INVALID_ENVELOPE_RECIPIENT' });
  });

  it('builds a missing From from defaultFrom, with -F as display name', async () => {
    const s = await sandbox();
    await s.writeConfig({ defaultFrom: 'Shop <shop@example.com>' });
    const r = await runShim(bin, ['-t', '-i', '-F', 'Cron Daemon'], phpMail({ headers: [] }), {
      MAILHYGIENE_CONFIG: s.configPath,
    });
    expect(r.code).toBe(0);
    const [sent] = await s.files(s.outbox);
    const parsed = await parsePostal(sent!.eml);
    expect(parsed.from).toEqual([{ name: 'Cron Daemon', address: 'shop@example.com' }]);
  });

  it('writes the log to stderr when configured so', async () => {
    const s = await sandbox();
    await s.writeConfig({ log: 'stderr' });
    const r = await runShim(bin, ['-t', '-i'], phpMail(), { MAILHYGIENE_CONFIG: s.configPath });
    expect(r.code).toBe(0);
    const line = JSON.parse(r.stderr.trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ event: 'sent', level: 'info', transport: 'file' });
    expect(await s.logLines()).toHaveLength(0);
  });
});
