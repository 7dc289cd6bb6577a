import { describe, expect, it } from 'vitest';
import {
  classifySysexit,
  isTemporaryNetworkCode,
  isTemporarySmtpCode,
  parseSmtpReply,
  TransportError,
} from '../../src/send/error.js';
import { MailHygieneError } from '../../src/wire/errors.js';

describe('classifySysexit', () => {
  // Sendmail queues (retries) exactly EX_TEMPFAIL, EX_IOERR and EX_OSERR (deliver.c markfailure).
  it.each([
    [75, true, 'TRANSPORT_FAILED', 'EX_TEMPFAIL'],
    [74, true, 'TRANSPORT_FAILED', 'EX_IOERR'],
    [71, true, 'TRANSPORT_FAILED', 'EX_OSERR'],
    [64, false, 'TRANSPORT_FAILED', 'EX_USAGE'],
    [65, false, 'TRANSPORT_FAILED', 'EX_DATAERR'],
    [67, false, 'TRANSPORT_FAILED', 'EX_NOUSER'],
    [68, false, 'TRANSPORT_FAILED', 'EX_NOHOST'],
    [69, false, 'TRANSPORT_UNAVAILABLE', 'EX_UNAVAILABLE'],
    [70, false, 'TRANSPORT_FAILED', 'EX_SOFTWARE'],
    [72, false, 'TRANSPORT_UNAVAILABLE', 'EX_OSFILE'],
    [73, false, 'TRANSPORT_FAILED', 'EX_CANTCREAT'],
    [77, false, 'TRANSPORT_FAILED', 'EX_NOPERM'],
    [78, false, 'TRANSPORT_UNAVAILABLE', 'EX_CONFIG'],
    [1, false, 'TRANSPORT_FAILED', 'exit 1'],
  ])('exit %i → temporary=%s %s (%s)', (exit, temporary, code, name) => {
    expect(classifySysexit(exit)).toEqual({ temporary, code, name });
  });
});

describe('SMTP replies', () => {
  it('parses reply and enhanced codes', () => {
    expect(parseSmtpReply('550 5.7.1 <x@y.example>: Relay access denied')).toEqual({
      responseCode: 550,
      enhancedCode: '5.7.1',
    });
    expect(parseSmtpReply('451-4.3.0 first line\r\n451 4.3.0 last')).toEqual({
      responseCode: 451,
      enhancedCode: '4.3.0',
    });
    expect(parseSmtpReply('421 Service not available')).toEqual({ responseCode: 421 });
    expect(parseSmtpReply('garbage')).toEqual({});
  });

  it('4yz is temporary, 5yz permanent, others not a failure', () => {
    expect(isTemporarySmtpCode(421)).toBe(true);
    expect(isTemporarySmtpCode(452)).toBe(true);
    expect(isTemporarySmtpCode(550)).toBe(false);
    expect(isTemporarySmtpCode(554)).toBe(false);
    expect(isTemporarySmtpCode(250)).toBeUndefined();
  });

  it('connection-level codes are temporary', () => {
    for (const c of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ECONNECTION', 'ESOCKET']) {
      expect(isTemporaryNetworkCode(c)).toBe(true);
    }
    for (const c of ['EAUTH', 'ECONFIG', 'EENVELOPE', undefined]) {
      expect(isTemporaryNetworkCode(c)).toBe(false);
    }
  });
});

describe('TransportError', () => {
  it('is a MailHygieneError with exactly one of temporary/permanent', () => {
    const e = new TransportError('TRANSPORT_FAILED', 'x', { temporary: true, responseCode: 451 });
    expect(e).toBeInstanceOf(MailHygieneError);
    expect(e.name).toBe('TransportError');
    expect([e.temporary, e.permanent]).toEqual([true, false]);
    const p = new TransportError('TRANSPORT_UNAVAILABLE', 'y', { temporary: false });
    expect([p.temporary, p.permanent, p.code]).toEqual([false, true, 'TRANSPORT_UNAVAILABLE']);
  });
});
