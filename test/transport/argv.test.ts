import { describe, expect, it } from 'vitest';
import { assertEnvelope, assertEnvelopeAddress, sendmailArgv } from '../../src/send/argv.js';
import { MailHygieneError } from '../../src/wire/errors.js';
import { cases, textInputOf } from '../support/corpus.js';

const corpus = { cases };
const inputOf = (c: (typeof cases)[number]): string => textInputOf(c)!;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(MailHygieneError);
    return (e as MailHygieneError).code;
  }
  return undefined;
}

// Addresses the corpus says must be refused, apart from policy-only refusals
// (FORM_FIELD, TOO_MANY_RECIPIENTS) that concern valid addresses.
const refusedSenders = corpus.cases.filter(
  (c) => c.field === 'envelope_sender' && c.expected === 'reject',
);
const refusedRecipients = corpus.cases.filter(
  (c) =>
    (c.field === 'to_address' || c.field === 'cc_address') &&
    c.expected === 'reject' &&
    c.error_code !== 'FORM_FIELD',
);

describe('assertEnvelopeAddress: corpus', () => {
  it('has the cases this test relies on', () => {
    expect(refusedSenders.length).toBeGreaterThanOrEqual(6);
    expect(refusedRecipients.length).toBeGreaterThanOrEqual(15);
  });

  it.each(refusedSenders.map((c) => [c.id, c] as const))('refuses sender %s', (_id, c) => {
    const code = codeOf(() => assertEnvelopeAddress(inputOf(c), 'sender', 'envelope.from'));
    // The corpus names the code the composer uses; at this boundary a non-ASCII
    // address is SMTPUTF8_REQUIRED, everything else INVALID_ENVELOPE_SENDER.
    expect(code).toBe(
      c.error_code === 'SMTPUTF8_REQUIRED' ? 'SMTPUTF8_REQUIRED' : 'INVALID_ENVELOPE_SENDER',
    );
  });

  it.each(refusedRecipients.map((c) => [c.id, c] as const))('refuses recipient %s', (_id, c) => {
    const input = inputOf(c);
    const code = codeOf(() => assertEnvelopeAddress(input, 'recipient', 'envelope.to[0]'));
    const nonAscii = /[^\x00-\x7f]/.test(input);
    // An address that is invalid anyway is INVALID_ENVELOPE_RECIPIENT; SMTPUTF8_REQUIRED
    // is for addresses that only lack SMTPUTF8.
    expect(code).toBe(
      c.error_code === 'SMTPUTF8_REQUIRED' ? 'SMTPUTF8_REQUIRED' : 'INVALID_ENVELOPE_RECIPIENT',
    );
    if (nonAscii) {
      // Even with SMTPUTF8 the fullwidth domain and the encoded local parts stay refused,
      // unless the corpus names SMTPUTF8 as the only reason.
      const withUtf8 = codeOf(() =>
        assertEnvelopeAddress(input, 'recipient', 'envelope.to[0]', { smtputf8: true }),
      );
      if (c.error_code === 'SMTPUTF8_REQUIRED') expect(withUtf8).toBeUndefined();
      else expect(withUtf8).toBe('INVALID_ENVELOPE_RECIPIENT');
    }
  });
});

describe('assertEnvelopeAddress: rules', () => {
  const ok = [
    'bounce@example.com',
    'first.last+tag@mail.example.org',
    "o'brien@example.ie",
    'a_b-c=d@sub-domain.example.co.uk',
    'x@xn--fuball-cta.test',
    // The mailbox grammar compose() uses: quoting without specials is fine.
    '"quoted"@example.com',
    '"first\\"last"@example.org',
  ];
  it.each(ok)('accepts %s', (addr) => {
    expect(codeOf(() => assertEnvelopeAddress(addr, 'recipient', 'f'))).toBeUndefined();
  });

  const bad: Array<[string, string]> = [
    ['-oQ/tmp@example.com', 'leading dash'],
    ['--@example.com', 'double dash'],
    ['-@example.com', 'dash alone'],
    ['user@example.com -X/tmp/x', 'space and option'],
    ['user@example.com\t-X/tmp', 'tab'],
    ['user@example.com\u00a0x', 'no-break space'],
    ['user\u0000@example.com', 'NUL'],
    ['user@example.com\r\n', 'CRLF'],
    ['"a b"@example.com', 'quoted space'],
    ['"a@b"@example.com', 'quoted @'],
    ['back\\slash@example.com', 'backslash'],
    ['<user@example.com>', 'angle brackets'],
    ['user@[192.0.2.1]', 'address literal'],
    ['user%other.example@relay.example.com', 'percent hack'],
    ['host!user@example.com', 'bang path'],
    ['user@localhost', 'unqualified domain'],
    ['user@-example.com', 'label with leading hyphen'],
    ['user@example..com', 'empty label'],
    ['user.@example.com', 'trailing dot in local part'],
    ['@example.com', 'empty local part'],
    ['user@', 'empty domain'],
    ['user', 'no @'],
    ['a@b@example.com', 'two @'],
    ['', 'empty'],
  ];
  it.each(bad)('refuses %j (%s)', (addr) => {
    expect(codeOf(() => assertEnvelopeAddress(addr, 'recipient', 'envelope.to[0]'))).toBe(
      'INVALID_ENVELOPE_RECIPIENT',
    );
  });

  it('refuses a non-string', () => {
    expect(codeOf(() => assertEnvelopeAddress(42, 'sender', 'envelope.from'))).toBe(
      'INVALID_ENVELOPE_SENDER',
    );
  });

  it('names the field and the code point', () => {
    try {
      assertEnvelopeAddress('a\nb@example.com', 'recipient', 'envelope.to[3]');
      expect.unreachable();
    } catch (e) {
      expect((e as MailHygieneError).field).toBe('envelope.to[3]');
      expect((e as MailHygieneError).codePoint).toBe(0x0a);
    }
  });

  it('allows UTF-8 only with smtputf8', () => {
    expect(codeOf(() => assertEnvelopeAddress('jõser@jõgeva.ee', 'sender', 'f'))).toBe(
      'SMTPUTF8_REQUIRED',
    );
    expect(
      codeOf(() => assertEnvelopeAddress('jõser@jõgeva.ee', 'sender', 'f', { smtputf8: true })),
    ).toBeUndefined();
    // still no whitespace, controls or lone surrogates in UTF-8 mode
    for (const addr of ['jõ ser@example.com', 'jõ\u2028@example.com', 'j\ud800@example.com']) {
      expect(codeOf(() => assertEnvelopeAddress(addr, 'sender', 'f', { smtputf8: true }))).toBe(
        'INVALID_ENVELOPE_SENDER',
      );
    }
  });
});

describe('assertEnvelope / sendmailArgv', () => {
  it('puts every recipient after "--" and the sender right after -f', () => {
    const argv = sendmailArgv(
      { from: 'bounce@example.com', to: ['a@example.org', 'b@example.net'] },
      ['-C', '/etc/alt.cf'],
    );
    expect(argv).toEqual([
      '-C',
      '/etc/alt.cf',
      '-i',
      '-f',
      'bounce@example.com',
      '--',
      'a@example.org',
      'b@example.net',
    ]);
  });

  it('passes the null sender as <>', () => {
    expect(sendmailArgv({ from: '', to: ['a@example.org'] })).toEqual([
      '-i',
      '-f',
      '<>',
      '--',
      'a@example.org',
    ]);
  });

  it('refuses an envelope without recipients', () => {
    expect(codeOf(() => assertEnvelope({ from: 'b@example.com', to: [] }))).toBe('NO_RECIPIENTS');
  });

  it('names the offending recipient by index', () => {
    try {
      assertEnvelope({ from: 'b@example.com', to: ['ok@example.org', '-X/tmp/x@example.org'] });
      expect.unreachable();
    } catch (e) {
      expect((e as MailHygieneError).code).toBe('INVALID_ENVELOPE_RECIPIENT');
      expect((e as MailHygieneError).field).toBe('envelope.to[1]');
    }
  });
});
