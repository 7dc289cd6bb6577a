/**
 * Behaviour fingerprint: one line per case with a hash of everything the
 * public API returns for it (bytes, envelope, Message-ID, findings, applied
 * repairs, typed errors). Run it on two commits and diff the outputs to prove a
 * refactoring changed nothing:
 *
 *   node --import tsx scripts/fingerprint.ts > /tmp/after.txt
 *   git worktree add --detach /tmp/mh-ref <commit> && ln -s "$PWD/node_modules" /tmp/mh-ref/
 *   SRC=/tmp/mh-ref/src node --import tsx scripts/fingerprint.ts > /tmp/before.txt
 *   diff /tmp/before.txt /tmp/after.txt
 *
 * Cases: every .eml fixture (lint, repair), every hostile-corpus case (compose
 * with the input in its field; lint and repair of it as bytes), N random
 * messages (default 10,000; `N=`), each composed with and without DKIM, then
 * linted and repaired, and random contact-form submissions.
 * Randomness (boundaries, Message-IDs) comes from a seeded generator, the clock
 * is fixed, and only the public entry point (`src/index.ts`) is used.
 */

/**
 * Behaviour fingerprint: one line per case with a hash of everything the
 * public API returns for it (bytes, envelope, Message-ID, findings, applied
 * repairs, typed errors). Run it on two commits and diff the outputs to prove a
 * refactoring changed nothing:
 *
 *   node --import tsx scripts/fingerprint.ts > /tmp/after.txt
 *   git worktree add --detach /tmp/mh-ref <commit> && ln -s "$PWD/node_modules" /tmp/mh-ref/
 *   SRC=/tmp/mh-ref/src node --import tsx scripts/fingerprint.ts > /tmp/before.txt
 *   diff /tmp/before.txt /tmp/after.txt
 *
 * Cases: every .eml fixture (lint, repair), every hostile-corpus case (compose
 * with the input in its field; lint and repair of it as bytes), N random
 * messages (default 10,000; `N=`), each composed with and without DKIM, then
 * linted and repaired, and random contact-form submissions.
 * Randomness (boundaries, Message-IDs) comes from a seeded generator, the clock
 * is fixed, and only the public entry point (`src/index.ts`) is used.
 */
import crypto, { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { cases, inputOf } from '../test/support/corpus.js';
import {
  displayName,
  filename,
  headerName,
  headerValue,
  mailbox,
  mailboxList,
} from '../test/support/mail-input.js';
import { hostileString } from '../test/support/unicode.js';

// Seeded "CSPRNG" for the library's boundaries and Message-IDs (xorshift32).
let state = 0x9e3779b9;
function nextByte(): number {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  state >>>= 0;
  return state & 0xff;
}
crypto.randomFillSync = (<T extends NodeJS.ArrayBufferView>(buf: T): T => {
  const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  for (let i = 0; i < bytes.length; i++) bytes[i] = nextByte();
  return buf;
}) as typeof crypto.randomFillSync;
syncBuiltinESMExports();

const srcDir = resolve(process.env['SRC'] ?? join(import.meta.dirname, '../src'));
// biome-ignore lint/suspicious/noExplicitAny: two versions of the API are compared
const lib: any = await import(pathToFileURL(join(srcDir, 'index.ts')).href);
const N = Number(process.env['N'] ?? 10_000);
const NOW = new Date('2026-06-15T10:20:30Z');
const now = () => NOW;

function hash(v: unknown): string {
  const h = createHash('sha256');
  const walk = (x: unknown): void => {
    if (Buffer.isBuffer(x) || x instanceof Uint8Array) {
      h.update(`bytes:${x.length}:`);
      h.update(x);
    } else h.update(JSON.stringify(x, (_k, val) => (val instanceof Uint8Array ? undefined : val)));
  };
  walk(v);
  return h.digest('hex').slice(0, 24);
}

/** Findings as text: `location` is a string before the refactoring, data after. */
// biome-ignore lint/suspicious/noExplicitAny: both shapes
function findings(list: any[]): unknown {
  return list.map((f) => ({
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    location:
      f.location === undefined || typeof f.location === 'string'
        ? f.location
        : lib.formatLocation(f.location),
  }));
}

function errorOf(e: unknown): unknown {
  // biome-ignore lint/suspicious/noExplicitAny: typed errors of either version
  const err = e as any;
  return { error: err?.name, code: err?.code, field: err?.field, message: err?.message };
}

async function outcome(f: () => Promise<unknown> | unknown): Promise<unknown> {
  try {
    return await f();
  } catch (e) {
    return errorOf(e);
  }
}

/** `SHOW=1` prints a summary of each outcome (to see what is hashed). */
function emit(name: string, v: unknown): void {
  const show = process.env['SHOW']
    ? `\t${JSON.stringify(v, (_k, x) => (x?.type === 'Buffer' ? `<${x.data.length} bytes>` : x)).slice(0, 160)}`
    : '';
  process.stdout.write(`${name}\t${hash(v)}${show}\n`);
}

async function lintAndRepair(name: string, raw: Buffer | string): Promise<void> {
  emit(
    `${name} lint`,
    await outcome(() => {
      const r = lib.lint(raw, { now: NOW });
      return { ...r, findings: findings(r.findings) };
    }),
  );
  emit(
    `${name} repair`,
    await outcome(async () => {
      const r = await lib.repair(raw, { now });
      return { raw: r.raw, envelope: r.envelope, applied: findings(r.applied) };
    }),
  );
}

// 1. fixtures
const fixtureRoot = join(import.meta.dirname, '../test/fixtures');
function* emls(dir: string): Generator<string> {
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) yield* emls(p);
    else if (e.endsWith('.eml')) yield p;
  }
}
for (const p of emls(fixtureRoot)) {
  await lintAndRepair(p.slice(fixtureRoot.length + 1), readFileSync(p));
}

// 2. hostile corpus
const BASE = {
  from: 'Shop <shop@example.com>',
  to: ['kunde@example.org'],
  subject: 'Hallo',
  text: 'Text',
};
for (const c of cases) {
  const input = inputOf(c);
  const field = c.field.split(/[.[]/)[0] ?? c.field;
  const text = typeof input === 'string' ? input : input.toString('latin1');
  const value = ['to', 'cc', 'bcc'].includes(field) ? [text] : text;
  emit(
    `corpus ${c.id} compose`,
    await outcome(async () => {
      const m = await lib.compose(
        { ...BASE, [field]: value },
        { now, envelopeFrom: 'b@example.com' },
      );
      return { raw: m.raw, envelope: m.envelope, messageId: m.messageId };
    }),
  );
  await lintAndRepair(`corpus ${c.id}`, input);
}

// 3. random messages
const ED_KEY = crypto.createPrivateKey({
  key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.alloc(32, 7)]),
  format: 'der',
  type: 'pkcs8',
});
const message = fc.record(
  {
    from: mailbox,
    to: mailboxList,
    cc: fc.array(mailbox, { maxLength: 3 }),
    replyTo: mailbox,
    subject: fc.oneof(
      { weight: 4, arbitrary: headerValue },
      { weight: 1, arbitrary: hostileString(60) },
    ),
    text: fc.oneof(hostileString(200), fc.constant(undefined)),
    html: fc.oneof(
      fc.constant(undefined),
      hostileString(100).map(
        (s) => `<p>${s.replace(/[<&]/g, '')}</p><a href="https://x.example/">x</a>`,
      ),
    ),
    headers: fc.array(fc.tuple(headerName, headerValue), { maxLength: 3 }),
    attachments: fc.array(fc.record({ filename, content: fc.uint8Array({ maxLength: 300 }) }), {
      maxLength: 2,
    }),
  },
  { requiredKeys: ['from', 'to', 'subject', 'headers', 'attachments'] },
);
const samples = fc.sample(message, { seed: 16, numRuns: N });
for (const [i, s] of samples.entries()) {
  const input = {
    ...s,
    from: s.from.input,
    to: s.to.map((m) => m.input),
    cc: s.cc?.map((m) => m.input),
    replyTo: s.replyTo?.input,
  };
  for (const [tag, opts] of [
    ['plain', { now, envelopeFrom: 'bounce@example.com' }],
    [
      'dkim',
      {
        now,
        envelopeFrom: 'bounce@example.com',
        dkim: {
          domainName: 'example.com',
          keySelector: 's1',
          privateKey: ED_KEY,
          algorithm: 'ed25519-sha256',
          allowUnaligned: true,
        },
      },
    ],
  ] as const) {
    if (tag === 'dkim' && i % 10 !== 0) continue;
    let raw: Buffer | undefined;
    emit(
      `random ${i} ${tag} compose`,
      await outcome(async () => {
        const m = await lib.compose(input, opts);
        raw = m.raw;
        return { raw: m.raw, envelope: m.envelope, messageId: m.messageId };
      }),
    );
    if (raw && tag === 'plain' && i % 5 === 0) await lintAndRepair(`random ${i}`, raw);
  }
}

/**
 * The bytes with their random tokens (boundaries; the caller blanks Message-IDs)
 * replaced: how many tokens a version draws may change (contactForm composed
 * twice before 0.2), what it builds from them may not.
 */
function withoutRandom(raw: Buffer): string {
  let text = raw.toString('latin1');
  for (const m of text.matchAll(/boundary="([^"]+)"/g)) text = text.replaceAll(m[1]!, 'BOUNDARY');
  return text;
}

// 4. contact forms
const sent = lib.memoryTransport();
const form = lib.contactForm({
  to: 'office@example.com',
  from: 'Website <noreply@example.com>',
  subject: 'Kontakt',
  mailer: lib.createMailer({ transport: sent, now, envelopeFrom: 'bounce@example.com' }),
  options: { now, envelopeFrom: 'bounce@example.com' },
});
const visitor = fc.record({
  name: fc.oneof(
    { weight: 4, arbitrary: displayName },
    { weight: 1, arbitrary: hostileString(40) },
  ),
  email: fc.oneof(
    { weight: 4, arbitrary: mailbox.map((m) => m.expected) },
    { weight: 1, arbitrary: hostileString(30) },
  ),
  subject: fc.oneof(
    { weight: 4, arbitrary: headerValue },
    { weight: 1, arbitrary: hostileString(40) },
  ),
  message: hostileString(300),
});
for (const [i, v] of fc.sample(visitor, { seed: 17, numRuns: Math.ceil(N / 10) }).entries()) {
  emit(
    `form ${i}`,
    await outcome(async () => {
      const r = await form.handle(v);
      const stored = sent.messages.splice(0);
      if (r.ok) r.message = { ...r.message, raw: withoutRandom(r.message.raw) };
      const out = {
        r,
        stored: stored.map((m: { raw: Buffer; envelope: unknown }) => [
          withoutRandom(m.raw),
          m.envelope,
        ]),
      };
      // Message-IDs wherever they appear (result, transport record): generated, so random.
      return JSON.stringify(out).replace(/<[\w-]+@/g, '<ID@');
    }),
  );
}
