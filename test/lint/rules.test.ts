import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint, rules } from '../../src/lint/index.js';
import type { Envelope } from '../../src/wire/index.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/lint');
const SAMPLES = join(import.meta.dirname, '../fixtures/samples');
const now = new Date('2026-11-29T14:00:00Z');
const ENVELOPES: Record<string, Envelope> = {
  'header-envelope-misaligned': { from: 'bounce@other.example.net', to: ['max@example.org'] },
  'envelope-sender-unroutable': { from: 'wwwrun@localhost', to: ['max@example.org'] },
};
const read = (dir: string, f: string) => readFileSync(join(dir, f));
const ids = (raw: Buffer, envelope?: Envelope) =>
  lint(raw, envelope ? { now, envelope } : { now }).findings.map((f) => f.rule);

describe('rule catalogue', () => {
  const catalogue = readFileSync(join(import.meta.dirname, '../../docs/HYGIENE-RULES.md'), 'utf8');
  it('every rule id is documented in docs/HYGIENE-RULES.md', () => {
    for (const r of rules) expect(catalogue).toContain(`### \`${r.id}\``);
  });
  it('implements every [raw]/[env] rule of sections A–F and H', () => {
    const documented = [...catalogue.matchAll(/^### `([a-z0-9-]+)`/gm)].map((m) => m[1]);
    const implemented = new Set<string>(rules.map((r) => r.id));
    // Section G (dkim-header-coverage) is structural DKIM, deliberately not in the self-check.
    expect(documented.filter((id) => !implemented.has(id!))).toEqual(['dkim-header-coverage']);
  });
});

describe('each rule fires on its fixture', () => {
  for (const r of rules) {
    it(r.id, () => {
      const report = lint(read(FIXTURES, `${r.id}.eml`), {
        now,
        ...(ENVELOPES[r.id] ? { envelope: ENVELOPES[r.id] } : {}),
      });
      const hits = report.findings.filter((f) => f.rule === r.id);
      expect(hits.length).toBeGreaterThan(0);
      for (const f of hits) {
        expect(f.message.length).toBeGreaterThan(30);
        expect(f.location).toBeDefined();
      }
    });
  }
});

describe('clean messages', () => {
  it('a hand-written correct multipart/alternative message has no errors or warnings', () => {
    const report = lint(read(FIXTURES, 'clean.eml'), { now });
    expect(report.findings).toEqual([]);
    expect(report.errors).toBe(0);
    expect(report.warnings).toBe(0);
  });
  it('envelope rules stay silent for an aligned, routable envelope', () => {
    const report = lint(read(FIXTURES, 'clean.eml'), {
      now,
      envelope: { from: 'bounces@example.com', to: ['erika@example.org'] },
    });
    expect(report.findings).toEqual([]);
  });
  it('envelope rules fire only with an envelope (or a Return-Path)', () => {
    expect(ids(read(FIXTURES, 'envelope-sender-unroutable.eml'))).not.toContain(
      'envelope-sender-unroutable',
    );
    for (const from of [
      'wwwrun@localhost',
      'www-data@web01',
      'apache@host.localdomain',
      'x@intranet.lan',
      'root',
    ]) {
      expect(ids(read(FIXTURES, 'clean.eml'), { from, to: ['a@example.org'] })).toContain(
        'envelope-sender-unroutable',
      );
    }
  });
});

describe('samples from the oracle set', () => {
  const expectations: Record<string, { has: string[]; errors?: 0 }> = {
    'bad.eml': {
      has: [
        'missing-date',
        'missing-message-id',
        'missing-mime-version',
        'subject-needs-encoding',
        'html-only',
        'bare-cr-or-lf',
        'missing-charset',
        'cte-7bit-with-8bit-data',
      ],
    },
    'bad-latin1.eml': {
      has: ['html-without-mime', 'subject-needs-encoding', 'missing-charset', 'bare-cr-or-lf'],
    },
    'bad-nomime.eml': { has: ['html-without-mime', 'subject-needs-encoding', 'bare-cr-or-lf'] },
    'bad-multipart.eml': {
      has: [
        'missing-header-body-separator',
        'encoded-line-syntax',
        'boundary-invalid',
        'missing-charset',
      ],
    },
    'nodate.eml': { has: ['missing-date', 'missing-message-id', 'bare-cr-or-lf'] },
    'good.eml': { has: [], errors: 0 },
    'good-8bit.eml': { has: [], errors: 0 },
    'nodemailer-attach.eml': { has: ['encoded-word-forbidden-context'], errors: 0 },
    'probe-8bit-declared-7bit.eml': { has: ['cte-7bit-with-8bit-data'] },
    'probe-alt-differ.eml': { has: ['alternative-parts-differ'], errors: 0 },
    'probe-b64-broken.eml': { has: ['encoded-line-syntax'] },
    'probe-date-future.eml': { has: ['date-skew'] },
    'probe-date-invalid.eml': { has: ['invalid-date'] },
    'probe-empty-body.eml': { has: ['empty-body'], errors: 0 },
    'probe-from-b64-excess.eml': { has: ['needless-encoding'], errors: 0 },
    'probe-header-defects.eml': {
      has: [
        'from-invalid',
        'recipient-header-invalid',
        'encoded-word-syntax',
        'invalid-date',
        'invalid-message-id',
        'content-type-malformed',
      ],
    },
    'probe-injection-cr.eml': {
      has: ['bare-cr-or-lf', 'header-control-chars', 'duplicate-singleton-header'],
    },
    'probe-msgid-nobrackets.eml': { has: ['invalid-message-id'] },
    'probe-no-from.eml': { has: ['missing-from'] },
    'probe-no-subject.eml': { has: ['missing-or-empty-subject'], errors: 0 },
    'probe-no-to.eml': { has: ['missing-to'], errors: 0 },
    'probe-qp-longline.eml': { has: ['encoded-line-syntax'] },
  };
  it('covers every sample', () => {
    expect(
      readdirSync(SAMPLES)
        .filter((f) => f.endsWith('.eml'))
        .sort(),
    ).toEqual(Object.keys(expectations).sort());
  });
  for (const [file, exp] of Object.entries(expectations)) {
    it(file, () => {
      const report = lint(read(SAMPLES, file), { now });
      const found = report.findings.map((f) => f.rule);
      for (const id of exp.has) expect(found).toContain(id);
      if (exp.errors === 0) expect(report.errors).toBe(0);
      else expect(report.errors).toBeGreaterThan(0);
    });
  }
  it('good.eml has no warnings either', () => {
    expect(lint(read(SAMPLES, 'good.eml'), { now }).warnings).toBe(0);
  });
});

describe('locations', () => {
  it('names the header and its line', () => {
    const f = lint(read(SAMPLES, 'probe-msgid-nobrackets.eml'), { now }).findings.find(
      (x) => x.rule === 'invalid-message-id',
    );
    expect(f?.location).toEqual({ part: '', header: 'Message-ID', line: 5 });
  });
  it('names the MIME part path', () => {
    const f = lint(read(SAMPLES, 'bad-multipart.eml'), { now }).findings.find(
      (x) => x.rule === 'encoded-line-syntax',
    );
    expect(f?.location).toEqual({
      part: '2',
      header: 'Content-Transfer-Encoding',
      line: expect.any(Number),
    });
  });
});

describe('options.rules and string input', () => {
  it('runs only the selected rules', () => {
    const report = lint(read(SAMPLES, 'bad.eml'), { now, rules: ['missing-date'] });
    expect(report.findings.map((f) => f.rule)).toEqual(['missing-date']);
  });
  it('accepts a string', () => {
    expect(lint('From: a@example.com\r\n\r\nx\r\n', { now }).findings.map((f) => f.rule)).toContain(
      'missing-date',
    );
  });
});

describe('messages count in words', () => {
  it('one bare LF is "1 line", more are "lines"', () => {
    const message = (raw: string) =>
      lint(raw, { now, rules: ['bare-cr-or-lf'] }).findings[0]?.message ?? '';
    expect(message('From: a@example.com\n')).toContain('(1 line)');
    expect(message('From: a@example.com\n\nx\n')).toContain('(3 lines)');
  });
});
