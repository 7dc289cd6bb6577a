import { describe, expect, test } from 'vitest';
import { createBodyHasher } from '../../src/compose/dkim/body-hash.js';
import { buildDkimSignatureHeader, dkimSign, splitMessage } from '../../src/compose/dkim/sign.js';
import { MailHygieneError } from '../../src/wire/errors.js';
import { crlf, ed25519Key, rsaKey, verify } from './helpers.js';
import { foldedHeadersMessage, longQpMessage, multipartMessage, textMessage } from './messages.js';

const rsa = rsaKey(2048);
const ed = ed25519Key();
const other = rsaKey(2048);

const dnsFor = (domain: string) => ({
  [`rsa1._domainkey.${domain}`]: rsa.txt,
  [`ed1._domainkey.${domain}`]: ed.txt,
});

const rsaOpts = (domain: string) => ({
  domainName: domain,
  keySelector: 'rsa1',
  privateKey: rsa.privatePem,
});
const edOpts = (domain: string) => ({
  domainName: domain,
  keySelector: 'ed1',
  privateKey: ed.privatePem,
  algorithm: 'ed25519-sha256' as const,
});

const cases: Array<[string, Buffer, string]> = [
  ['plain text with trailing whitespace and empty lines', textMessage, 'example.com'],
  ['multipart with base64 attachment and List-Unsubscribe', multipartMessage, 'shop.example.com'],
  ['long quoted-printable lines', longQpMessage, 'example.com'],
  ['folded headers, several To fields, no final CRLF', foldedHeadersMessage, 'example.com'],
];

const sigHeaders = (signed: Buffer, original: Buffer): string =>
  signed.subarray(0, signed.length - original.length).toString('latin1');

describe('dkimSign verified by mailauth', () => {
  for (const [label, message, domain] of cases) {
    test(`RSA-2048: ${label}`, async () => {
      const signed = dkimSign(message, rsaOpts(domain));
      const results = await verify(signed, dnsFor(domain));
      expect(results).toHaveLength(1);
      expect(results[0]?.status.result).toBe('pass');
      expect(results[0]?.algo).toBe('rsa-sha256');
      expect(results[0]?.status.aligned).toBe(domain);
    });

    test(`Ed25519: ${label}`, async () => {
      const signed = dkimSign(message, edOpts(domain));
      const results = await verify(signed, dnsFor(domain));
      expect(results.map((r) => [r.algo, r.status.result])).toEqual([['ed25519-sha256', 'pass']]);
    });

    test(`RSA and Ed25519 at once: ${label}`, async () => {
      const signed = dkimSign(message, [rsaOpts(domain), edOpts(domain)]);
      const results = await verify(signed, dnsFor(domain));
      expect(results.map((r) => [r.selector, r.status.result])).toEqual([
        ['rsa1', 'pass'],
        ['ed1', 'pass'],
      ]);
    });
  }

  test('the original message follows the signatures unchanged', () => {
    const signed = dkimSign(textMessage, [rsaOpts('example.com'), edOpts('example.com')]);
    expect(signed.subarray(signed.length - textMessage.length).equals(textMessage)).toBe(true);
    expect(sigHeaders(signed, textMessage).match(/^DKIM-Signature:/gm)).toHaveLength(2);
  });

  test('signature header: folded at 78, t= present, From over-signed, absent headers not listed', () => {
    const now = new Date('2026-11-29T13:40:00Z');
    const signed = dkimSign(textMessage, rsaOpts('example.com'), undefined, { now: () => now });
    const header = sigHeaders(signed, textMessage);
    expect(header.endsWith('\r\n')).toBe(true);
    for (const line of header.slice(0, -2).split('\r\n'))
      expect(line.length).toBeLessThanOrEqual(78);
    const unfolded = header.replace(/\r\n[ \t]/g, ' ');
    expect(unfolded).toContain(`t=${now.getTime() / 1000};`);
    expect(unfolded).toContain('c=relaxed/relaxed;');
    const h = /h=([^;]+);/.exec(unfolded)?.[1]?.replace(/\s/g, '').split(':');
    expect(h).toEqual([
      'from',
      'from',
      'to',
      'to',
      'subject',
      'subject',
      'date',
      'date',
      'message-id',
      'mime-version',
      'content-type',
    ]);
  });

  test('multipart: Cc, Reply-To and List-Unsubscribe(-Post) are signed, the list headers over-signed', () => {
    const header = sigHeaders(
      dkimSign(multipartMessage, rsaOpts('shop.example.com')),
      multipartMessage,
    );
    const h =
      /h=([^;]+);/
        .exec(header.replace(/\r\n[ \t]/g, ' '))?.[1]
        ?.replace(/\s/g, '')
        .split(':') ?? [];
    expect(h.filter((n) => n === 'cc')).toHaveLength(1);
    expect(h.filter((n) => n === 'reply-to')).toHaveLength(2);
    expect(h.filter((n) => n === 'list-unsubscribe')).toHaveLength(2);
    expect(h.filter((n) => n === 'list-unsubscribe-post')).toHaveLength(2);
  });

  test('two To fields are both signed and over-signed', () => {
    const header = sigHeaders(
      dkimSign(foldedHeadersMessage, rsaOpts('example.com')),
      foldedHeadersMessage,
    );
    const h =
      /h=([^;]+);/
        .exec(header.replace(/\r\n[ \t]/g, ' '))?.[1]
        ?.replace(/\s/g, '')
        .split(':') ?? [];
    expect(h.filter((n) => n === 'to')).toHaveLength(3);
  });

  test('extra headers from opts.headers are signed', async () => {
    const msg = crlf(['From: a@example.com', 'X-Campaign: 42', 'Subject: s', '', 'hi', '']);
    const signed = dkimSign(msg, { ...rsaOpts('example.com'), headers: ['X-Campaign'] });
    const results = await verify(signed, dnsFor('example.com'));
    expect(results[0]?.status.result).toBe('pass');
    const tampered = Buffer.from(
      signed.toString('latin1').replace('X-Campaign: 42', 'X-Campaign: 43'),
      'latin1',
    );
    expect((await verify(tampered, dnsFor('example.com')))[0]?.status.result).toBe('fail');
  });
});

describe('tampered copies do not pass', () => {
  const signed = dkimSign(multipartMessage, [
    rsaOpts('shop.example.com'),
    edOpts('shop.example.com'),
  ]);
  const text = signed.toString('latin1');
  const dns = dnsFor('shop.example.com');

  test('changed body: body hash mismatch', async () => {
    const tampered = Buffer.from(
      text.replace('your invoice is attached.', 'pay to IBAN XX00 now.'),
      'latin1',
    );
    const results = await verify(tampered, dns);
    expect(results).toHaveLength(2);
    for (const r of results) {
      expect(r.status.result).not.toBe('pass');
      expect(r.status.comment).toMatch(/body hash/);
    }
  });

  test('changed Subject: bad signature', async () => {
    const tampered = Buffer.from(
      text.replace('Subject: Your invoice', 'Subject: Your lnvoice'),
      'latin1',
    );
    for (const r of await verify(tampered, dns)) expect(r.status.result).toBe('fail');
  });

  test('an added second From header breaks the over-signed signature', async () => {
    const tampered = Buffer.from(
      text.replace('From: "Shop, Inc."', 'From: evil@attacker.example\r\nFrom: "Shop, Inc."'),
      'latin1',
    );
    for (const r of await verify(tampered, dns)) expect(r.status.result).not.toBe('pass');
  });

  test('a second Reply-To added above the signed one is detected (over-signing)', async () => {
    // bottom-up selection would still find the original; only the extra h= entry catches this
    const tampered = Buffer.from(
      text.replace(
        'Reply-To: support@shop.example.com',
        'Reply-To: x@evil.example\r\nReply-To: support@shop.example.com',
      ),
      'latin1',
    );
    for (const r of await verify(tampered, dns)) expect(r.status.result).toBe('fail');
  });

  test('the published key is not the signing key', async () => {
    const results = await verify(signed, {
      'rsa1._domainkey.shop.example.com': other.txt,
      'ed1._domainkey.shop.example.com': ed25519Key().txt,
    });
    for (const r of results) expect(r.status.result).toBe('fail');
  });

  test('no key published', async () => {
    for (const r of await verify(signed, {})) expect(r.status.result).not.toBe('pass');
  });
});

describe('alignment and key errors', () => {
  const catchErr = (fn: () => unknown): MailHygieneError => {
    try {
      fn();
    } catch (e) {
      if (e instanceof MailHygieneError) return e;
      throw e;
    }
    throw new Error('expected a MailHygieneError');
  };

  test('d= of another organisation is DKIM_UNALIGNED', () => {
    const err = catchErr(() => dkimSign(textMessage, rsaOpts('esp.example.net')));
    expect(err.code).toBe('DKIM_UNALIGNED');
    expect(err.message).toContain('example.com');
  });

  test('a public suffix as d= does not align', () => {
    expect(catchErr(() => dkimSign(textMessage, rsaOpts('com'))).code).toBe('DKIM_UNALIGNED');
  });

  test('parent and child domains align (relaxed)', async () => {
    const signed = dkimSign(multipartMessage, rsaOpts('example.com'));
    expect((await verify(signed, dnsFor('example.com')))[0]?.status.result).toBe('pass');
    const child = dkimSign(textMessage, rsaOpts('mail.example.com'));
    expect((await verify(child, dnsFor('mail.example.com')))[0]?.status.result).toBe('pass');
  });

  test('the fromDomain argument overrides the From header', () => {
    expect(
      catchErr(() => dkimSign(textMessage, rsaOpts('example.com'), 'other.example.net')).code,
    ).toBe('DKIM_UNALIGNED');
  });

  test('allowUnaligned signs anyway and verifies', async () => {
    const signed = dkimSign(textMessage, { ...rsaOpts('esp.example.net'), allowUnaligned: true });
    const [r] = await verify(signed, dnsFor('esp.example.net'));
    expect(r?.status.result).toBe('pass');
    expect(r?.status.aligned).toBeFalsy();
  });

  test('an @ inside a quoted display name is not taken as the From domain', () => {
    const msg = crlf(['From: "boss@evil.example" <ceo@example.com>', 'Subject: s', '', 'x', '']);
    expect(() => dkimSign(msg, rsaOpts('example.com'))).not.toThrow();
    expect(catchErr(() => dkimSign(msg, rsaOpts('evil.example'))).code).toBe('DKIM_UNALIGNED');
  });

  test('unreadable key, wrong key type and short RSA key are DKIM_INVALID_KEY', () => {
    expect(
      catchErr(() => dkimSign(textMessage, { ...rsaOpts('example.com'), privateKey: 'not a key' }))
        .code,
    ).toBe('DKIM_INVALID_KEY');
    expect(
      catchErr(() => dkimSign(textMessage, { ...edOpts('example.com'), algorithm: 'rsa-sha256' }))
        .code,
    ).toBe('DKIM_INVALID_KEY');
    expect(
      catchErr(() =>
        dkimSign(textMessage, { ...rsaOpts('example.com'), privateKey: rsaKey(512).privatePem }),
      ).code,
    ).toBe('DKIM_INVALID_KEY');
  });

  test('a message without From cannot be signed', () => {
    const msg = crlf(['To: a@example.com', 'Subject: s', '', 'x', '']);
    expect(catchErr(() => dkimSign(msg, rsaOpts('example.com'))).code).toBe('INVALID_INPUT');
  });
});

describe('stream path: buildDkimSignatureHeader with an incremental body hash', () => {
  test('chunked body hash + header block verifies', async () => {
    const { header, body } = splitMessage(multipartMessage);
    const hasher = createBodyHasher('relaxed');
    for (let i = 0; i < body.length; i += 61) hasher.update(body.subarray(i, i + 61));
    const sig = buildDkimSignatureHeader(header, hasher.digest(), edOpts('shop.example.com'));
    const signed = Buffer.concat([Buffer.from(sig, 'latin1'), multipartMessage]);
    expect((await verify(signed, dnsFor('shop.example.com')))[0]?.status.result).toBe('pass');
  });
});

describe('dkimSign refuses what it cannot sign as the receiver sees it', () => {
  const refusal = (raw: Buffer) => {
    try {
      dkimSign(raw, rsaOpts('example.com'));
    } catch (e) {
      if (e instanceof MailHygieneError)
        return { code: e.code, field: e.field, message: e.message };
      throw e;
    }
    return undefined;
  };

  test('an LF-only message (it used to be signed with an empty body)', () => {
    const r = refusal(Buffer.from('From: a@example.com\nSubject: s\n\nhello\n'));
    expect(r).toMatchObject({ code: 'INVALID_INPUT', field: 'raw' });
    expect(r!.message).toMatch(/line 1 ends in a bare LF/);
  });

  test('one bare LF in the body, and a bare CR, with the line named', () => {
    const lf = refusal(crlf(['From: a@example.com', 'Subject: s', '', 'a\nb', '']));
    expect(lf).toMatchObject({ code: 'INVALID_INPUT', field: 'raw' });
    expect(lf!.message).toMatch(/line 4 ends in a bare LF/);
    const cr = refusal(crlf(['From: a@example.com', 'Subject: s', '', 'a\rb', '']));
    expect(cr!.message).toMatch(/line 4 holds a bare CR/);
  });

  test('a header block with no empty line after it', () => {
    const r = refusal(crlf(['From: a@example.com', 'Subject: s', '']));
    expect(r).toMatchObject({ code: 'INVALID_INPUT', field: 'raw' });
    expect(r!.message).toMatch(/no empty line/);
  });

  test('a CRLF message, also without a final CRLF, is still signed', () => {
    expect(refusal(crlf(['From: a@example.com', 'Subject: s', '', 'hi']))).toBeUndefined();
  });
});

describe('the signer reads header fields with the read floor, as the receiver does', () => {
  test('a line that is no header field is refused, not skipped (fields after it went unsigned)', () => {
    const msg = crlf(['Subject: s', 'this is no field', 'From: a@example.com', '', 'x', '']);
    expect(() => dkimSign(msg, rsaOpts('example.com'))).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', field: 'raw' }),
    );
  });

  test('folded fields keep their line breaks for relaxed canonicalization', async () => {
    const msg = crlf(['From: a@example.com', 'Subject: a', ' b', '\tc', '', 'x', '']);
    const signed = dkimSign(msg, rsaOpts('example.com'));
    const [result] = await verify(signed, dnsFor('example.com'));
    expect(result?.status.result).toBe('pass');
  });
});

describe('dkimSign without a From domain reads From with the address-list parser', () => {
  test('an IDN From domain (UTF-8) aligns with its A-label d=', async () => {
    const msg = Buffer.from('From: Shop <shop@bücher.example>\r\nSubject: s\r\n\r\nx\r\n', 'utf8');
    const signed = dkimSign(msg, rsaOpts('xn--bcher-kva.example'));
    expect(signed.toString('latin1').replace(/\r\n[ \t]/g, ' ')).toMatch(
      / d=xn--bcher-kva\.example;/,
    );
  });

  test('an @ in a quoted display name or a nested comment is no From domain', () => {
    const msg = crlf([
      'From: "x@evil.example" <a@example.com> (note (y@evil.example))',
      'Subject: s',
      '',
      'x',
      '',
    ]);
    expect(() => dkimSign(msg, rsaOpts('example.com'))).not.toThrow();
  });
});
