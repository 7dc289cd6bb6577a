import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { TransportError } from '../../src/send/error.js';
import { sendmailTransport } from '../../src/send/sendmail.js';
import { MailHygieneError } from '../../src/wire/errors.js';
import { cases } from '../support/corpus.js';
import { chunkedStream, FAKE_SENDMAIL, readFakeRecord, sampleRaw, withTempDir } from './helpers.js';

const corpus = { cases };
const argvInjectionSenders = corpus.cases.filter(
  (c) => c.category === 'argv-injection' && c.field === 'envelope_sender' && c.input !== null,
);
// The corpus has no recipient with a leading dash; these are the classic option smuggles.
const dashRecipients = [
  '-oQ/tmp/@example.com',
  '-X/var/www/html/shell.php',
  '--help',
  '-bs',
  '-C/tmp/evil.cf@example.com',
  ' -t@example.com',
];

function fake(dir: string, env: Record<string, string> = {}, timeoutMs?: number) {
  const out = join(dir, 'record.json');
  const transport = sendmailTransport({
    path: FAKE_SENDMAIL,
    env: { ...process.env, FAKE_SENDMAIL_OUT: out, ...env },
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  });
  return { transport, out };
}

async function rejection(p: Promise<unknown>): Promise<TransportError> {
  const err = await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TransportError);
  return err as TransportError;
}

describe('sendmailTransport', () => {
  it('passes -i -f <from> -- <rcpts> and streams the exact bytes', async () => {
    await withTempDir(async (dir) => {
      const { transport, out } = fake(dir);
      const raw = sampleRaw();
      const envelope = { from: 'bounce@example.com', to: ['erika@example.org', 'max@example.net'] };
      const result = await transport.send({ raw, envelope });
      expect(result.accepted).toEqual(envelope.to);
      expect(result.rejected).toEqual([]);
      const rec = await readFakeRecord(out);
      expect(rec.argv).toEqual(['-i', '-f', 'bounce@example.com', '--', ...envelope.to]);
      expect(rec.stdin.equals(raw)).toBe(true);
    });
  });

  it('streams a Readable (chunk boundaries inside the header block)', async () => {
    await withTempDir(async (dir) => {
      const { transport, out } = fake(dir);
      const raw = sampleRaw({ body: 'x'.repeat(200_000) });
      await transport.send({
        raw: chunkedStream(raw, 5),
        envelope: { from: 'bounce@example.com', to: ['erika@example.org'] },
      });
      expect((await readFakeRecord(out)).stdin.equals(raw)).toBe(true);
    });
  });

  it('puts configured args first', async () => {
    await withTempDir(async (dir) => {
      const out = join(dir, 'record.json');
      const transport = sendmailTransport({
        path: FAKE_SENDMAIL,
        args: ['-C', '/etc/postfix-alt'],
        env: { ...process.env, FAKE_SENDMAIL_OUT: out },
      });
      await transport.send({
        raw: sampleRaw(),
        envelope: { from: 'bounce@example.com', to: ['erika@example.org'] },
      });
      expect((await readFakeRecord(out)).argv.slice(0, 3)).toEqual([
        '-C',
        '/etc/postfix-alt',
        '-i',
      ]);
    });
  });

  it.each(argvInjectionSenders.map((c) => [c.id, c.input!] as const))(
    'argv injection in the sender (%s) never reaches the program',
    async (_id, input) => {
      await withTempDir(async (dir) => {
        const { transport, out } = fake(dir);
        const err = await transport
          .send({ raw: sampleRaw(), envelope: { from: input, to: ['erika@example.org'] } })
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        expect(err).toBeInstanceOf(MailHygieneError);
        expect((err as MailHygieneError).code).toBe('INVALID_ENVELOPE_SENDER');
        expect(existsSync(out)).toBe(false);
      });
    },
  );

  it.each(dashRecipients)('recipient %j never reaches the program as an option', async (rcpt) => {
    await withTempDir(async (dir) => {
      const { transport, out } = fake(dir);
      const err = await transport
        .send({
          raw: sampleRaw(),
          envelope: { from: 'bounce@example.com', to: ['erika@example.org', rcpt] },
        })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect((err as MailHygieneError).code).toBe('INVALID_ENVELOPE_RECIPIENT');
      expect((err as MailHygieneError).field).toBe('envelope.to[1]');
      expect(existsSync(out)).toBe(false);
    });
  });

  it('every argv element after "--" is a recipient, none starts with "-"', async () => {
    await withTempDir(async (dir) => {
      const { transport, out } = fake(dir);
      const to = ['a@example.org', 'b-c@example.org', 'x-y@example.org'];
      await transport.send({ raw: sampleRaw(), envelope: { from: 'b@example.com', to } });
      const { argv } = await readFakeRecord(out);
      const dd = argv.indexOf('--');
      expect(argv.slice(dd + 1)).toEqual(to);
      expect(argv[argv.indexOf('-f') + 1]).toBe('b@example.com');
      for (const a of argv.slice(dd + 1)) expect(a.startsWith('-')).toBe(false);
    });
  });

  it('refuses bytes with a Bcc header before starting the program', async () => {
    for (const header of ['Bcc: hidden@example.org', 'BCC : hidden@example.org', 'bcc:']) {
      await withTempDir(async (dir) => {
        const { transport, out } = fake(dir);
        const raw = sampleRaw({ extraHeader: header });
        const err = await rejection(
          transport.send({ raw, envelope: { from: 'b@example.com', to: ['a@example.org'] } }),
        );
        expect(err.permanent).toBe(true);
        expect(existsSync(out)).toBe(false);
        const err2 = await rejection(
          transport.send({
            raw: chunkedStream(raw, 3),
            envelope: { from: 'b@example.com', to: ['a@example.org'] },
          }),
        );
        expect(err2.permanent).toBe(true);
        expect(existsSync(out)).toBe(false);
      });
    }
  });

  it('does not mistake "Bcc:" in the body for a header', async () => {
    await withTempDir(async (dir) => {
      const { transport, out } = fake(dir);
      const raw = sampleRaw({ body: 'Bcc: this is body text' });
      await transport.send({ raw, envelope: { from: 'b@example.com', to: ['a@example.org'] } });
      expect((await readFakeRecord(out)).stdin.equals(raw)).toBe(true);
    });
  });

  it('exit 75 (EX_TEMPFAIL) is temporary and keeps stderr', async () => {
    await withTempDir(async (dir) => {
      const { transport } = fake(dir, {
        FAKE_SENDMAIL_EXIT: '75',
        FAKE_SENDMAIL_STDERR: 'queue file write error',
      });
      const err = await rejection(
        transport.send({
          raw: sampleRaw(),
          envelope: { from: 'b@example.com', to: ['a@example.org'] },
        }),
      );
      expect(err.temporary).toBe(true);
      expect(err.permanent).toBe(false);
      expect(err.exitCode).toBe(75);
      expect(err.code).toBe('TRANSPORT_FAILED');
      expect(err.stderr).toBe('queue file write error');
      expect(err.message).toContain('EX_TEMPFAIL');
    });
  });

  it('exit 67 (EX_NOUSER) is permanent', async () => {
    await withTempDir(async (dir) => {
      const { transport } = fake(dir, { FAKE_SENDMAIL_EXIT: '67' });
      const err = await rejection(
        transport.send({
          raw: sampleRaw(),
          envelope: { from: 'b@example.com', to: ['a@example.org'] },
        }),
      );
      expect(err.permanent).toBe(true);
      expect(err.temporary).toBe(false);
      expect(err.exitCode).toBe(67);
    });
  });

  it('exit 69 (EX_UNAVAILABLE) is TRANSPORT_UNAVAILABLE', async () => {
    await withTempDir(async (dir) => {
      const { transport } = fake(dir, { FAKE_SENDMAIL_EXIT: '69' });
      const err = await rejection(
        transport.send({
          raw: sampleRaw(),
          envelope: { from: 'b@example.com', to: ['a@example.org'] },
        }),
      );
      expect(err.code).toBe('TRANSPORT_UNAVAILABLE');
      expect(err.permanent).toBe(true);
    });
  });

  it('kills a hanging program after the timeout and reports a temporary failure', async () => {
    await withTempDir(async (dir) => {
      const { transport } = fake(dir, { FAKE_SENDMAIL_SLEEP: '30000' }, 300);
      const started = Date.now();
      const err = await rejection(
        transport.send({
          raw: sampleRaw(),
          envelope: { from: 'b@example.com', to: ['a@example.org'] },
        }),
      );
      expect(err.temporary).toBe(true);
      expect(err.message).toMatch(/did not finish within 300 ms/);
      // generous upper bound: the program sleeps 30 s
      expect(Date.now() - started).toBeLessThan(10_000);
    });
  });

  it('a missing program is TRANSPORT_UNAVAILABLE and permanent', async () => {
    const transport = sendmailTransport({ path: '/nonexistent/sendmail' });
    const err = await rejection(
      transport.send({
        raw: sampleRaw(),
        envelope: { from: 'b@example.com', to: ['a@example.org'] },
      }),
    );
    expect(err.code).toBe('TRANSPORT_UNAVAILABLE');
    expect(err.permanent).toBe(true);
  });

  it('exit 0 without reading the message is not reported as sent', async () => {
    await withTempDir(async (dir) => {
      const { transport } = fake(dir, { FAKE_SENDMAIL_NOREAD: '1', FAKE_SENDMAIL_SLEEP: '200' });
      // large enough to fill the pipe buffer, so the write must fail
      const raw = sampleRaw({ body: 'y'.repeat(4 * 1024 * 1024) });
      const err = await rejection(
        transport.send({ raw, envelope: { from: 'b@example.com', to: ['a@example.org'] } }),
      );
      expect(err.message).toMatch(/without reading the whole message/);
    });
  });

  it('a failing message stream kills the program and is reported', async () => {
    await withTempDir(async (dir) => {
      const { transport } = fake(dir);
      const head = sampleRaw();
      const broken = Readable.from(
        (async function* () {
          yield head;
          await new Promise((r) => setTimeout(r, 50));
          throw new Error('attachment source failed');
        })(),
      );
      const err = await rejection(
        transport.send({ raw: broken, envelope: { from: 'b@example.com', to: ['a@example.org'] } }),
      );
      expect(err.message).toMatch(/attachment source failed/);
    });
  });
});
