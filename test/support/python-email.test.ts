import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PythonEmail, pyFindings, pyPartBytes, startPythonEmail } from './python-email.js';

const sample = (name: string) =>
  readFileSync(new URL(`../fixtures/samples/${name}`, import.meta.url));

/** A small valid message; `n` makes every one distinguishable. */
const message = (n: number, extra = '') =>
  Buffer.from(
    [
      'From: =?UTF-8?Q?J=C3=BCrgen?= <juergen@example.com>',
      'To: "Doe, Jane" <jane@example.org>, bob@example.net',
      `Subject: message ${n}`,
      'Date: Sun, 29 Nov 2026 13:40:00 +0000',
      `Message-ID: <m${n}@example.com>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 7bit',
      extra,
      '',
      `body ${n}`,
      '',
    ]
      .filter((l, i) => l !== '' || i > 8)
      .join('\r\n'),
  );

describe('python email judge (long-lived worker)', () => {
  let py: PythonEmail;
  beforeAll(async () => {
    py = await startPythonEmail();
  });
  afterAll(async () => {
    await py.close();
  });

  it('finds nothing in good.eml and decodes its headers and parts', async () => {
    const r = await py.check(sample('good.eml'));
    expect(pyFindings(r)).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.headers.subject).toBe('Grüße aus Köln');
    expect(r.headers.from).toEqual([{ name: 'Jürgen Müller', address: 'juergen@example.com' }]);
    expect(r.headers.dateIso).toBe('2026-11-29T13:40:00+00:00');
    expect(r.parts.map((p) => [p.path, p.contentType, p.charset, p.cte])).toEqual([
      ['0.0', 'text/plain', 'utf-8', 'quoted-printable'],
      ['0.1', 'text/html', 'utf-8', 'quoted-printable'],
    ]);
    expect(r.parts[0]?.text).toContain(
      'schöne Grüße aus Köln! Wir sehen uns nächste Woche zum Kaffee.',
    );
  });

  it('reports the structural defects of bad-multipart.eml', async () => {
    const r = await py.check(sample('bad-multipart.eml'));
    expect(r.ok).toBe(false);
    expect(r.defects.map((d) => `${d.part} ${d.type}`).sort()).toEqual([
      '0 CloseBoundaryNotFoundDefect',
      '0.0 MissingHeaderBodySeparatorDefect',
      '0.1 InvalidBase64CharactersDefect',
      '0.1 InvalidBase64PaddingDefect',
    ]);
    expect(r.rawChecks.map((c) => c.code).sort()).toEqual([
      'declared-7bit-with-8bit',
      'text-without-charset',
    ]);
  });

  it('makes the byte checks Python itself does not make (bad.eml)', async () => {
    const r = await py.check(sample('bad.eml'));
    expect(r.defects).toEqual([]); // Python alone accepts this message …
    expect(new Set(r.rawChecks.map((c) => c.code))).toEqual(
      new Set([
        'bare-lf',
        'header-8bit',
        'missing-date',
        'missing-message-id',
        'missing-mime-version',
        'text-without-charset',
        'declared-7bit-with-8bit',
      ]),
    );
  });

  it('sees an injected header behind a bare CR, and the duplicate Subject', async () => {
    const r = await py.check(sample('probe-injection-cr.eml'));
    expect(r.rawChecks.map((c) => c.code).sort()).toEqual([
      'bare-cr',
      'bcc-present',
      'duplicate-header',
    ]);
  });

  it('reports header defects with the header name (encoded-word in quoted filename)', async () => {
    const r = await py.check(sample('nodemailer-attach.eml'));
    expect(
      r.defects.some((d) => d.header === 'Content-Type' && d.type === 'InvalidHeaderDefect'),
    ).toBe(true);
    const pdf = r.parts.find((p) => p.contentType === 'application/pdf');
    expect(pdf?.filename).toBe('Rechnung März.pdf');
    expect(pdf?.disposition).toBe('attachment');
    expect(pyPartBytes(pdf!).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const logo = r.parts.find((p) => p.contentType === 'image/png');
    expect(logo?.cid).toBe('<logo@example.com>');
    expect(pyPartBytes(logo!).subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('flags long lines, control characters and 8-bit part headers', async () => {
    const long = message(1).toString().replace('body 1', 'x'.repeat(1200));
    expect((await py.check(long)).rawChecks.map((c) => c.code)).toEqual(['line-too-long']);
    const nul = message(2).toString().replace('body 2', 'a\u0000b');
    expect((await py.check(nul)).rawChecks.map((c) => c.code)).toEqual(['control-char']);
    const mp = Buffer.concat([
      Buffer.from(
        'From: a@example.com\r\nDate: Sun, 29 Nov 2026 13:40:00 +0000\r\nMessage-ID: <p@example.com>\r\n' +
          'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n' +
          'Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="',
      ),
      Buffer.from('Grüße.bin', 'utf8'),
      Buffer.from('"\r\nContent-Transfer-Encoding: base64\r\n\r\nAAEC\r\n--b--\r\n'),
    ]);
    const r = await py.check(mp);
    expect(r.rawChecks.map((c) => c.code)).toEqual(['part-header-8bit']);
    expect(pyPartBytes(r.parts[0]!)).toEqual(Buffer.from([0, 1, 2]));
  });

  it('answers pipelined requests in order: 1000 messages, each matched to its own', async () => {
    const n = 1000;
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: n }, (_, i) => py.check(message(i))));
    results.forEach((r, i) => {
      expect(r.headers.subject).toBe(`message ${i}`);
      expect(r.headers.messageId).toBe(`<m${i}@example.com>`);
      expect(r.parts[0]?.text).toBe(`body ${i}\r\n`);
      expect(pyFindings(r)).toEqual([]);
    });
    expect(r0addresses(results[0]!)).toEqual(['Doe, Jane|jane@example.org', '|bob@example.net']);
    // generous bound: one process, no spawn per message (spawning would take ~2 min)
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('survives garbage: random bytes and an empty message get an answer, the worker goes on', async () => {
    let seed = 42;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed & 0xff;
    };
    for (let i = 0; i < 50; i++) {
      const junk = Buffer.from(Array.from({ length: 10 + i * 37 }, rnd));
      const r = await py.check(junk);
      expect(typeof r.ok).toBe('boolean');
    }
    const empty = await py.check(Buffer.alloc(0));
    expect(empty.rawChecks.map((c) => c.code)).toContain('missing-from');
    const after = await py.check(message(7));
    expect(after.headers.subject).toBe('message 7');
  });

  it('rejects requests in flight when the worker dies, then starts a new worker', async () => {
    const other = await startPythonEmail();
    try {
      const pid = other.pid!;
      expect((await other.check(message(1))).ok).toBe(true);
      // 20 MiB take Python far longer to read and parse than the kill takes to land
      const big = Buffer.concat([message(2), Buffer.alloc(20 * 1024 * 1024, 'a')]);
      const inFlight = other.check(big);
      process.kill(pid, 'SIGKILL');
      await expect(inFlight).rejects.toThrow(/python worker exited/);
      const again = await other.check(message(3));
      expect(again.headers.subject).toBe('message 3');
      expect(other.pid).not.toBe(pid);
    } finally {
      await other.close();
    }
    await expect(other.check(message(1))).rejects.toThrow(/after close/);
  });
});

function r0addresses(r: { headers: { to: { name: string; address: string }[] | null } }): string[] {
  return (r.headers.to ?? []).map((a) => `${a.name}|${a.address}`);
}
