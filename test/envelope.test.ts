import { describe, expect, it } from 'vitest';
import { chooseReversePath, resolveReversePath } from '../src/compose/envelope.js';
import { resolvePolicy } from '../src/compose/policy.js';
import type { Mailbox } from '../src/wire/address/mailbox.js';
import type { MailHygieneError } from '../src/wire/errors.js';

const from: Mailbox = {
  name: '',
  localPart: 'site',
  domain: 'example.com',
  address: 'site@example.com',
  utf8: false,
};
const code = (f: () => unknown) => {
  try {
    return f();
  } catch (e) {
    return (e as MailHygieneError).code;
  }
};

describe('resolveReversePath with a configured bounce address', () => {
  it('gives the same answer every time, whatever was parsed before', () => {
    const p = resolvePolicy({ envelopeFrom: '<Bounces@Example.COM>' });
    expect(resolveReversePath(undefined, from, p)).toBe('Bounces@example.com');
    expect(resolveReversePath(undefined, from, p)).toBe('Bounces@example.com');
    const other = resolvePolicy({ envelopeFrom: 'b2@example.net' });
    expect(resolveReversePath(undefined, from, other)).toBe('b2@example.net');
    expect(resolveReversePath(undefined, from, p)).toBe('Bounces@example.com');
  });

  it('refuses a bad one every time, and re-checks it when smtputf8 changes', () => {
    const bad = resolvePolicy({ envelopeFrom: 'not an address' });
    expect(code(() => resolveReversePath(undefined, from, bad))).toBe('INVALID_ENVELOPE_SENDER');
    expect(code(() => resolveReversePath(undefined, from, bad))).toBe('INVALID_ENVELOPE_SENDER');
    const utf8 = resolvePolicy({ envelopeFrom: 'jürgen@example.de', smtputf8: true });
    expect(resolveReversePath(undefined, from, utf8)).toBe('jürgen@example.de');
    const ascii = resolvePolicy({ envelopeFrom: 'jürgen@example.de' });
    expect(code(() => resolveReversePath(undefined, from, ascii))).toBe('SMTPUTF8_REQUIRED');
  });
});

describe('chooseReversePath: the decision repair() and the sendmail shim share', () => {
  const why = (a: string) => (a.endsWith('@localhost') ? `${a} is local` : undefined);
  it('keeps a usable sender exactly (VERP too) and the null sender', () => {
    expect(chooseReversePath('b+id=x@example.com', 'bounces@example.com', why)).toEqual({
      from: 'b+id=x@example.com',
    });
    expect(chooseReversePath('', 'bounces@example.com', why)).toEqual({ from: '' });
  });
  it('replaces a missing or unusable sender by the configured one and says why', () => {
    expect(chooseReversePath('www@localhost', 'bounces@example.com', why)).toEqual({
      from: 'bounces@example.com',
      replaced: { requested: 'www@localhost', reason: 'www@localhost is local' },
    });
    expect(chooseReversePath(undefined, 'bounces@example.com', why)).toEqual({
      from: 'bounces@example.com',
      replaced: { requested: undefined, reason: 'no sender given' },
    });
  });
});
