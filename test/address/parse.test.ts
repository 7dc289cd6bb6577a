import { describe, expect, it } from 'vitest';
import { parseMailbox } from '../../src/address/parse.js';
import { MailHygieneError } from '../../src/errors.js';

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
});
