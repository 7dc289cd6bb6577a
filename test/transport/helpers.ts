import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

/** A hand-written, well-formed CRLF message (the transports never look inside it). */
export function sampleRaw(
  opts: { from?: string; to?: string; subject?: string; extraHeader?: string; body?: string } = {},
): Buffer {
  const lines = [
    `From: Shop <${opts.from ?? 'shop@example.com'}>`,
    `To: ${opts.to ?? 'erika@example.org'}`,
    `Subject: ${opts.subject ?? 'Transport test'}`,
    'Date: Sun, 29 Nov 2026 13:40:00 +0000',
    `Message-ID: <transport-test.${Math.random().toString(36).slice(2)}@example.com>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 7bit',
    ...(opts.extraHeader ? [opts.extraHeader] : []),
    '',
    opts.body ?? 'Hello.\r\n.\r\nA lone dot above must survive.',
    '',
  ];
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

/** A stream that yields `buf` in small pieces, so header boundaries span chunks. */
export function chunkedStream(buf: Buffer, size = 7): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) parts.push(buf.subarray(i, i + size));
  return Readable.from(parts);
}

export const FAKE_SENDMAIL = fileURLToPath(
  new URL('../fixtures/fake-sendmail.mjs', import.meta.url),
);

export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'mailhygiene-transport-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface FakeSendmailRecord {
  argv: string[];
  stdin: Buffer;
}

export async function readFakeRecord(path: string): Promise<FakeSendmailRecord> {
  const json = JSON.parse(await readFile(path, 'utf8')) as { argv: string[]; stdin: string };
  return { argv: json.argv, stdin: Buffer.from(json.stdin, 'base64') };
}
