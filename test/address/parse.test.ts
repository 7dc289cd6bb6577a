import fc from 'fast-check';
import isEmailModule from 'validator/lib/isEmail.js';
import { describe, expect, it } from 'vitest';
import { toAsciiDomain } from '../../src/wire/address/domain.js';
import { parseAddrSpec, parseMailbox } from '../../src/wire/address/parse.js';
import { MailHygieneError } from '../../src/wire/errors.js';

const strict = { smtputf8: false };
const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof MailHygieneError) return e.code;
    throw e;
  }
  return 'OK';
};

describe('parseMailbox', () => {
  it('parses name-addr, bare addr-spec and objects', () => {
    expect(parseMailbox('Erika Mustermann <erika@example.org>', 'to', strict)).toMatchObject({
      name: 'Erika Mustermann',
      address: 'erika@example.org',
    });
    expect(parseMailbox('erika@EXAMPLE.org', 'to', strict)).toMatchObject({
      name: '',
      address: 'erika@example.org',
    });
    expect(
      parseMailbox({ name: 'Bob, "the" builder', address: 'bob@example.org' }, 'to', strict),
    ).toMatchObject({ name: 'Bob, "the" builder' });
    expect(parseMailbox('"Doe, John" <john@example.org>', 'to', strict).name).toBe('Doe, John');
    expect(parseMailbox('"A \\"quoted\\" name" <a@example.org>', 'to', strict).name).toBe(
      'A "quoted" name',
    );
  });

  it('converts IDN domains to A-labels and refuses what UTS-46 would remap', () => {
    expect(parseMailbox('test@fußball.test', 'to', strict).domain).toBe('xn--fuball-cta.test');
    expect(parseMailbox('a@bücher.example', 'to', strict).address).toBe('a@xn--bcher-kva.example');
    expect(code(() => parseMailbox('admin@ｅxample.com', 'to', strict))).toBe('INVALID_ADDRESS');
    expect(code(() => parseMailbox('foo@xn--0049.example.com', 'to', strict))).toBe(
      'INVALID_ADDRESS',
    );
  });

  it.each([
    ['alice@example.org,<bob@example.com>'],
    ['a@b.example;evil@x.example'],
    ['Joe Foo, PhD <joe@example.com>'],
    ['<aaa@bbb.com>ccc@ddd.com'],
    ['undisclosed-recipients:;'],
    ['first(middle)last@iana.org'],
    ['.user@example.com'],
    ['user@localhost'],
    ['-oQ/tmp@example.com'],
    ['"xclow3n@gmail.com x"@internal.domain'],
    ['=?utf-8?q?a=40b?=c@host.com'],
    ['a@@example.com'],
    ['<@route.example:a@example.com>'],
    ['user@[127.0.0.1]'],
    ['user@exam\u200bple.com'],
    ['us\u202eer@example.com'],
    [`${'a'.repeat(65)}@iana.org`],
    [`a@${'abcdefghi.'.repeat(26)}example`],
  ])('refuses %j', (input) => {
    expect(code(() => parseMailbox(input, 'to', strict))).toBe('INVALID_ADDRESS');
  });

  it('refuses line breaks and controls with the code point', () => {
    try {
      parseMailbox('alice@example.com\r\nBcc: victim@example.net', 'from', strict);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(MailHygieneError);
      expect((e as MailHygieneError).code).toBe('INVALID_ADDRESS');
      expect((e as MailHygieneError).field).toBe('from');
      expect((e as MailHygieneError).codePoint).toBe(13);
    }
  });

  it('needs smtputf8 for non-ASCII local parts', () => {
    expect(code(() => parseMailbox('jõser@example.ee', 'to', strict))).toBe('SMTPUTF8_REQUIRED');
    expect(parseMailbox('jõser@jõgeva.ee', 'to', { smtputf8: true }).address).toBe(
      'jõser@xn--jgeva-dua.ee',
    );
  });

  it('keeps needed quotes and drops needless ones in local parts', () => {
    expect(parseMailbox('"first\\"last"@example.org', 'to', strict).address).toBe(
      '"first\\"last"@example.org',
    );
    expect(parseMailbox('"plain"@example.org', 'to', strict).address).toBe('plain@example.org');
    expect(parseMailbox('"a..b"@example.org', 'to', strict).address).toBe('"a..b"@example.org');
  });

  it('refuses an encoded-word look-alike in a quoted local part as in a dot-atom', () => {
    // Unquoted it is the look-alike dot-atoms are refused for; quoted, Python's email
    // package still decodes it ("=?utf-8?q?x?="@a reads as x@a).
    for (const spec of ['"=?utf-8?q?x?="@example.org', '"a.=?utf-8?b?QUA=?="@example.org']) {
      expect(() => parseMailbox(spec, 'to[1]', strict)).toThrow(
        expect.objectContaining({
          code: 'INVALID_ADDRESS',
          field: 'to[1]',
          message: expect.stringContaining('encoded-word'),
        }),
      );
    }
  });

  it('rejects a 1 MB pathological address quickly (linear time)', () => {
    for (const evil of [
      '@'.repeat(1 << 20),
      '('.repeat(1 << 20),
      '"'.repeat(1 << 20),
      `${'a:'.repeat(1 << 19)};`,
    ]) {
      const t = performance.now();
      expect(code(() => parseMailbox(evil, 'to', strict))).toBe('INVALID_ADDRESS');
      expect(performance.now() - t).toBeLessThan(100);
    }
  });

  it.each([['a@example.c'], ['a@example.c0m'], ['a@example.co-uk'], ['a@example.x1']])(
    'refuses %j: the top-level label is not two or more letters or an A-label',
    (input) => {
      expect(code(() => parseMailbox(input, 'to', strict))).toBe('INVALID_ADDRESS');
    },
  );

  it('refuses SMTPUTF8 local parts with characters outside the usual Unicode ranges', () => {
    const utf8 = { smtputf8: true };
    expect(parseMailbox('jürgen@example.de', 'to', utf8).address).toBe('jürgen@example.de');
    for (const bad of [
      'a😀@example.de',
      'a\ue000@example.de',
      'a\ufdd0@example.de',
      'a\ufff0@example.de',
    ])
      expect(code(() => parseMailbox(bad, 'to', utf8))).toBe('INVALID_ADDRESS');
  });
});

/** validator's isEmail with the options the parser used to call it with. */
const isEmail = ((isEmailModule as unknown as { default?: unknown }).default ?? isEmailModule) as (
  s: string,
  o: object,
) => boolean;

describe('the final addr-spec check agrees with validator isEmail', () => {
  const localChars = fc.constantFrom(
    ..."aZ09!#$%&'*+/=?^_`{|}~-.".split(''),
    'ü',
    'ß',
    '中',
    '\u00a0',
    '\u00a1',
    '\u0300',
    '\ud7ff',
    '\ue000',
    '\uf8ff',
    '\uf900',
    '\ufdcf',
    '\ufdd0',
    '\ufdf0',
    '\uffef',
    '\ufff0',
    '\uff41',
    '😀',
    '𝕏',
  );
  const local = fc.array(localChars, { minLength: 1, maxLength: 12 }).map((a) => a.join(''));
  const label = fc.oneof(
    fc.constantFrom(
      'example',
      'a',
      'ab',
      'a1',
      '1a',
      'xn',
      'xna',
      'xn-',
      'xn--p1ai',
      'x-n',
      'co-uk',
      'c0m',
      '123',
      'bücher',
      'xn--bcher-kva',
      'de',
      'COM',
      'a-',
    ),
    fc.stringMatching(/^[a-z0-9-]{1,8}$/),
  );
  const domain = fc.array(label, { minLength: 1, maxLength: 4 }).map((a) => a.join('.'));
  it('accepts exactly what isEmail accepts once the other checks pass', () => {
    fc.assert(
      fc.property(local, domain, fc.boolean(), (l, d, smtputf8) => {
        let mailbox: ReturnType<typeof parseAddrSpec> | undefined;
        try {
          mailbox = parseAddrSpec(`${l}@${d}`, 'to', { smtputf8 }, '');
        } catch (e) {
          if (!(e instanceof MailHygieneError && e.message.endsWith('not a valid addr-spec')))
            return;
        }
        if (l.startsWith('"')) return;
        // The address the parser built (or would have built) for isEmail.
        const ascii = toAsciiDomain(d);
        const address = mailbox?.address ?? `${l}@${ascii.ok ? ascii.ascii : d}`;
        const valid = isEmail(address, {
          allow_utf8_local_part: smtputf8,
          require_tld: true,
          allow_ip_domain: false,
          ignore_max_length: false,
        });
        expect(valid).toBe(mailbox !== undefined);
      }),
      { numRuns: 20_000 },
    );
  });
});
