// Issue 14.6: contactForm refuses whole-script confusable domains (UTS #39 §4,
// the CVE-2017-5060 class); an envelope sender holding shell metacharacters is
// INVALID_ENVELOPE_SENDER wherever it comes from (PHPMailer's isShellSafe policy).
import { domainToASCII } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import { assertEnvelopeAddress } from '../../src/send/argv.js';
import { createMailer } from '../../src/send/mailer.js';
import { memoryTransport } from '../../src/send/memory.js';
import { checkVisitorAddress, wholeScriptConfusableLabel } from '../../src/tools/form/index.js';
import { MailHygieneError } from '../../src/wire/errors.js';

describe('whole-script confusable domains in a contact form', () => {
  const refused: Array<[string, string]> = [
    ['раураӏ.com', 'paypal'], // all Cyrillic
    ['аррӏе.com', 'apple'],
    ['ѕсоре-1.de', 'scope-1'],
    ['сор.com', 'cop'],
    ['ναο.com', 'vao'], // all Greek
  ];
  for (const [domain, looksLike] of refused) {
    it(`refuses ${domain} (imitates ${looksLike})`, () => {
      const r = checkVisitorAddress(`erika@${domain}`);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.code).toBe('INVALID_ADDRESS');
        expect(r.message).toContain(`"${looksLike}"`);
      }
      expect(wholeScriptConfusableLabel(domainToASCII(domain))?.looksLike).toBe(looksLike);
    });
  }

  const accepted = [
    'пример.рф', // Cyrillic TLD
    'сор.ru', // a Russian word under a Cyrillic country's TLD
    'москва.com', // Cyrillic letters that do not look Latin
    'ελλάδα.gr',
    'bücher.example',
    'example.com',
  ];
  for (const domain of accepted) {
    it(`accepts ${domain}`, () => {
      expect(checkVisitorAddress(`erika@${domain}`).ok).toBe(true);
    });
  }
});

describe('shell metacharacters in the envelope sender', () => {
  const msg = { from: 'shop@example.com', to: 'erika@example.org', subject: 'Hallo', text: 'x' };
  const now = () => new Date('2026-01-05T10:00:00Z');
  const hostile = [
    '`id`@example.com',
    "a'b@example.com",
    'a|b@example.com',
    'a&b@example.com',
    'a#b@example.com',
    'x$HOME@example.com',
    'a*b@example.com',
    'a{b}@example.com',
    'a~b@example.com',
  ];

  async function code(f: () => unknown): Promise<string | undefined> {
    try {
      await f();
    } catch (e) {
      if (e instanceof MailHygieneError) return e.code;
      throw e;
    }
    return undefined;
  }

  for (const sender of hostile) {
    it(`refuses ${sender} as envelope.from, envelopeFrom, From-as-sender and at the argv boundary`, async () => {
      expect(await code(() => compose({ ...msg, envelope: { from: sender } }, { now }))).toBe(
        'INVALID_ENVELOPE_SENDER',
      );
      expect(await code(() => compose(msg, { now, envelopeFrom: sender }))).toBe(
        'INVALID_ENVELOPE_SENDER',
      );
      expect(await code(() => compose({ ...msg, from: sender }, { now }))).toBe(
        'INVALID_ENVELOPE_SENDER',
      );
      expect(
        await code(() => createMailer({ transport: memoryTransport(), envelopeFrom: sender })),
      ).toBe('INVALID_ENVELOPE_SENDER');
      expect(await code(() => assertEnvelopeAddress(sender, 'sender', 'sender'))).toBe(
        'INVALID_ENVELOPE_SENDER',
      );
    });
  }

  it('$(…) in an envelope sender is refused', async () => {
    expect(
      await code(() => compose({ ...msg, envelope: { from: '$(id)@example.com' } }, { now })),
    ).toBe('INVALID_ENVELOPE_SENDER');
  });

  it('VERP and sub-addressing (+, =) stay allowed; a From with them is still a valid header', async () => {
    const verp = 'bounces+erika=example.org@example.com';
    expect((await compose(msg, { now, envelopeFrom: verp })).envelope.from).toBe(verp);
    expect(
      (await compose({ ...msg, from: "o'brien@example.com" }, { now, envelopeFrom: verp })).envelope
        .from,
    ).toBe(verp);
  });

  it('recipients keep the full RFC 5322 local part (the shim passes them after --)', () => {
    expect(() => assertEnvelopeAddress("o'brien@example.org", 'recipient', 'to')).not.toThrow();
  });
});
