import { describe, expect, it } from 'vitest';
import { TransportError } from '../../src/send/error.js';
import {
  chooseSender,
  mergeRecipients,
  parseRecipientArgs,
} from '../../src/tools/cli/sendmail/envelope.js';
import { defaultFromWithName, exitCodeForSendError } from '../../src/tools/cli/sendmail/run.js';
import { MailHygieneError } from '../../src/wire/errors.js';

const BOUNCE = 'bounces@example.com';

describe('chooseSender', () => {
  it('keeps a qualified -f exactly, VERP included', () => {
    expect(chooseSender('bounce+id=x@example.com', BOUNCE)).toEqual({
      from: 'bounce+id=x@example.com',
    });
    expect(chooseSender('<list-bounces@example.org>', BOUNCE)).toEqual({
      from: 'list-bounces@example.org',
    });
  });

  it.each([
    'www-data',
    'wwwrun@localhost',
    'www-data@web01',
    'php@shop.local',
    'x@intranet.lan',
    '-X/tmp/a@example.com',
    'a b@example.com',
    'a"b@example.com',
  ])('replaces %j by envelopeFrom', (requested) => {
    const c = chooseSender(requested, BOUNCE);
    expect(c.from).toBe(BOUNCE);
    expect(c.replaced?.requested).toBe(requested);
    expect(c.replaced?.reason).toBeTruthy();
  });

  it('uses envelopeFrom without -f and keeps an explicit null sender', () => {
    expect(chooseSender(undefined, BOUNCE).from).toBe(BOUNCE);
    expect(chooseSender('', BOUNCE).from).toBe(BOUNCE);
    expect(chooseSender('<>', BOUNCE)).toEqual({ from: '' });
  });
});

describe('parseRecipientArgs / mergeRecipients', () => {
  it('splits comma lists and drops brackets', () => {
    expect(parseRecipientArgs(['a@example.com, <b@example.org>', 'c@example.net'])).toEqual({
      ok: true,
      to: ['a@example.com', 'b@example.org', 'c@example.net'],
    });
  });

  it.each(['root', '-oQ/tmp@example.com', 'a@b', 'x@exa mple.com'])('refuses %j', (arg) => {
    const r = parseRecipientArgs([arg]);
    expect(r.ok).toBe(false);
  });

  it('merges without duplicates, domains case-insensitive', () => {
    expect(
      mergeRecipients(['a@Example.com'], ['a@example.com', 'B@example.com', 'b@example.com']),
    ).toEqual(['a@Example.com', 'B@example.com', 'b@example.com']);
  });
});

describe('defaultFromWithName', () => {
  it('puts -F into a quoted display name', () => {
    expect(defaultFromWithName('Shop <shop@example.com>', 'Cron "Daemon"')).toBe(
      '"Cron \\"Daemon\\"" <shop@example.com>',
    );
    expect(defaultFromWithName('shop@example.com', 'Cron')).toBe('"Cron" <shop@example.com>');
    expect(defaultFromWithName('shop@example.com', undefined)).toBe('shop@example.com');
    expect(defaultFromWithName(undefined, 'Cron')).toBeUndefined();
  });
});

describe('exitCodeForSendError', () => {
  const rcpts = ['a@example.com', 'b@example.com'];
  it('maps temporary to 75, refused recipients to 67, other permanent to 69', () => {
    expect(
      exitCodeForSendError(new TransportError('TRANSPORT_FAILED', 'x', { temporary: true }), rcpts),
    ).toBe(75);
    expect(
      exitCodeForSendError(
        new TransportError('TRANSPORT_FAILED', 'x', { temporary: false, rejected: rcpts }),
        rcpts,
      ),
    ).toBe(67);
    expect(
      exitCodeForSendError(
        new TransportError('TRANSPORT_FAILED', 'x', {
          temporary: false,
          command: 'RCPT TO',
          responseCode: 550,
        }),
        rcpts,
      ),
    ).toBe(67);
    expect(
      exitCodeForSendError(
        new TransportError('TRANSPORT_FAILED', 'x', { temporary: false, exitCode: 67 }),
        rcpts,
      ),
    ).toBe(67);
    expect(
      exitCodeForSendError(
        new TransportError('TRANSPORT_FAILED', 'x', {
          temporary: false,
          command: 'DATA',
          responseCode: 554,
        }),
        rcpts,
      ),
    ).toBe(69);
    expect(
      exitCodeForSendError(
        new TransportError('TRANSPORT_UNAVAILABLE', 'x', { temporary: false }),
        rcpts,
      ),
    ).toBe(69);
    expect(
      exitCodeForSendError(new MailHygieneError('INVALID_ENVELOPE_RECIPIENT', 'x'), rcpts),
    ).toBe(65);
    expect(exitCodeForSendError(new Error('bug'), rcpts)).toBe(70);
  });
});
