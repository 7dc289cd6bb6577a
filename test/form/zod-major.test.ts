// Issue 12.7: a `fields` schema from another zod major is refused when the form
// is created, with the import that works; before, every submission (valid ones
// too) failed as "the form data is not readable". And how the package depends
// on zod and nodemailer.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { z as z3 } from 'zod/v3';
import { contactForm } from '../../src/tools/form/index.js';
import { MailHygieneError } from '../../src/wire/errors.js';

const site = { to: 'support@example.com', from: 'web@example.com' };

describe('contactForm fields from another zod major', () => {
  it('a zod 3 schema is an INVALID_OPTIONS error at creation, naming the field and the fix', () => {
    let err: unknown;
    try {
      contactForm({ ...site, fields: { company: z3.string().optional() as never } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MailHygieneError);
    const e = err as MailHygieneError;
    expect([e.code, e.field]).toEqual(['INVALID_OPTIONS', 'fields.company']);
    expect(e.message).toMatch(/zod 3 schema/);
    expect(e.message).toMatch(/zod\/v4/);
  });

  it('a zod 4 schema works (the same field)', async () => {
    const form = contactForm({ ...site, fields: { company: z.string().optional() } });
    const r = await form.handle({
      name: 'Erika',
      email: 'erika@example.org',
      message: 'Hallo',
      company: 'ACME',
    });
    expect(r.ok).toBe(true);
  });
});

describe('package.json dependencies', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

  it('runtime dependencies use caret ranges (the lockfile pins)', () => {
    for (const [name, range] of Object.entries<string>(pkg.dependencies ?? {})) {
      expect(range, name).toMatch(/^\^\d+\.\d+\.\d+$/);
    }
  });

  it('zod is a peer dependency (apps bring the zod their schemas come from), tested in dev', () => {
    expect(pkg.dependencies?.zod).toBeUndefined();
    expect(pkg.peerDependencies.zod).toMatch(/^\^4\./);
    expect(pkg.peerDependenciesMeta?.zod?.optional).not.toBe(true);
    expect(pkg.devDependencies.zod).toMatch(/^4\.\d+\.\d+$/);
  });

  it('the nodemailer peer range excludes what src/send/smtp.ts calls vulnerable', () => {
    const smtp = readFileSync(new URL('../../src/send/smtp.ts', import.meta.url), 'utf8');
    const vulnerable = /nodemailer ≤ (\d+)\.(\d+)\.(\d+)/.exec(smtp)!.slice(1).map(Number);
    const range: string = pkg.peerDependencies.nodemailer;
    for (const alt of range.split('||')) {
      // Each alternative is "^X.Y.Z" or ">=X.Y.Z": its lowest version must be above the vulnerable one.
      const m = /^\s*(?:\^|>=)(\d+)\.(\d+)\.(\d+)\s*$/.exec(alt);
      expect(m, alt).not.toBeNull();
      const low = m!.slice(1).map(Number);
      const cmp = low[0]! - vulnerable[0]! || low[1]! - vulnerable[1]! || low[2]! - vulnerable[2]!;
      expect(cmp, alt).toBeGreaterThan(0);
    }
  });
});
