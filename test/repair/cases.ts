/**
 * Which fixture repair fixes and which it refuses. Shared by the unit tests
 * and the oracle test (test/oracles/repair-filters.test.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { MailHygieneError } from '../../src/wire/errors.js';

export const SAMPLES = join(import.meta.dirname, '../fixtures/samples');
export const LINT_FIXTURES = join(import.meta.dirname, '../fixtures/lint');
/** Legacy PHP mail() output written for the repair tests. */
export const REPAIR_FIXTURES = join(import.meta.dirname, '../fixtures/repair');
export const NOW = new Date('2026-11-29T14:00:00Z');
export const now = () => NOW;

/** Refused inputs: file → expected `field` (REPAIR_REFUSED unless `code` says otherwise). */
export const REFUSED: Record<string, string> = {
  'samples/probe-injection-cr.eml': 'bare-cr-in-header',
  'samples/probe-header-defects.eml': 'invalid-address:from',
  'samples/probe-no-from.eml': 'missing-from',
  'lint/missing-from.eml': 'missing-from',
  'lint/duplicate-singleton-header.eml': 'duplicate-header:subject',
  'lint/multiple-from-without-sender.eml': 'multiple-from',
  'lint/header-control-chars.eml': 'header-control-chars:subject',
  'lint/header-folding-invalid.eml': 'ambiguous-header-end',
  'lint/header-name-invalid.eml': 'header-name-invalid',
  'lint/missing-header-body-separator.eml': 'header-line-without-colon',
  'lint/encoded-word-unsafe-content.eml': 'encoded-word-unsafe-content:subject',
  'lint/nul-byte.eml': 'nul-byte@message',
  'lint/from-invalid.eml': 'invalid-address:from',
  'lint/address-length-exceeded.eml': 'invalid-address:to',
  'lint/quoted-local-part.eml': 'invalid-address:to',
  'lint/non-ascii-address-without-smtputf8.eml': 'invalid-address:to',
  'lint/list-unsubscribe.eml': 'unrepairable:list-unsubscribe',
  'lint/one-click-unsubscribe-invalid.eml': 'unrepairable:one-click-unsubscribe-invalid',
};

export interface Fixture {
  /** `samples/bad.eml`, `lint/missing-date.eml` */
  name: string;
  raw: Buffer;
}

/** Every sample, lint fixture and repair fixture. */
export function fixtures(): Fixture[] {
  const out: Fixture[] = [];
  for (const [dir, prefix] of [
    [SAMPLES, 'samples'],
    [LINT_FIXTURES, 'lint'],
    [REPAIR_FIXTURES, 'repair'],
  ] as const) {
    for (const f of readdirSync(dir)
      .filter((x) => x.endsWith('.eml'))
      .sort()) {
      out.push({ name: `${prefix}/${f}`, raw: readFileSync(join(dir, f)) });
    }
  }
  return out;
}

/** Fixtures repair must fix (everything not refused). */
export function repairable(): Fixture[] {
  return fixtures().filter((f) => !(f.name in REFUSED));
}

/** The MailHygieneError a promise rejects with (the test fails when it resolves). */
export async function refusal(p: Promise<unknown>): Promise<MailHygieneError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(MailHygieneError);
  return e as MailHygieneError;
}
