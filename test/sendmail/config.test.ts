import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEFAULT_DEAD_LETTER_DIR,
  loadConfig,
  validateConfig,
} from '../../src/tools/cli/sendmail/config.js';

const base = {
  transport: { type: 'file', dir: '/tmp/out' },
  envelopeFrom: 'bounces@example.com',
};

function problems(data: unknown): string {
  try {
    validateConfig(data, 'test.json');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('validateConfig', () => {
  it('fills the documented defaults', () => {
    expect(validateConfig(base, 'test.json')).toEqual({
      path: 'test.json',
      transport: { type: 'file', dir: '/tmp/out' },
      envelopeFrom: 'bounces@example.com',
      legacyCharset: 'windows-1252',
      maxRecipients: 100,
      deadLetterDir: DEFAULT_DEAD_LETTER_DIR,
      debug: false,
    });
  });

  it('accepts every transport kind with its options', () => {
    const sendmail = validateConfig(
      { ...base, transport: { type: 'sendmail', path: '/usr/sbin/sendmail', args: ['-C', '/x'] } },
      't',
    );
    expect(sendmail.transport).toEqual({
      type: 'sendmail',
      path: '/usr/sbin/sendmail',
      args: ['-C', '/x'],
    });
    const smtp = validateConfig(
      {
        ...base,
        transport: {
          type: 'smtp',
          host: 'relay.example.com',
          port: 2525,
          secure: false,
          requireTLS: true,
          tls: { rejectUnauthorized: false },
          auth: { user: 'u', pass: 'p' },
        },
        defaultFrom: 'Web Shop <shop@example.com>',
        log: '/var/log/mailhygiene.log',
        maxRecipients: 10,
        deadLetterDir: '/var/spool/x',
        legacyCharset: 'iso-8859-15',
        debug: true,
      },
      't',
    );
    expect(smtp.transport).toEqual({
      type: 'smtp',
      host: 'relay.example.com',
      port: 2525,
      secure: false,
      requireTLS: true,
      tls: { rejectUnauthorized: false },
      auth: { user: 'u', pass: 'p' },
    });
    expect(smtp.defaultFrom).toBe('Web Shop <shop@example.com>');
    expect(smtp.legacyCharset).toBe('iso-8859-15');
    // port defaults follow secure
    const tls = validateConfig(
      { ...base, transport: { type: 'smtp', host: 'h.example', secure: true } },
      't',
    );
    expect(tls.transport).toMatchObject({ port: 465, secure: true });
  });

  it.each([
    [{ ...base, envelopeFrom: undefined }, 'envelopeFrom: is required'],
    [{ ...base, envelopeFrom: 'www-data' }, 'envelopeFrom: is not a usable bounce address'],
    [{ ...base, envelopeFrom: 'www-data@web01' }, 'not fully qualified'],
    [{ ...base, envelopeFrom: 'bounce@host.local' }, 'is on a local domain'],
    [{ ...base, envelopeFrom: '-X/tmp/x@example.com' }, 'starts with "-"'],
    [{ ...base, transport: undefined }, 'transport: is required'],
    [
      { ...base, transport: { type: 'pigeon' } },
      'transport.type: must be "sendmail", "smtp" or "file", got "pigeon"',
    ],
    [{ ...base, transport: { type: 'sendmail' } }, 'transport.path: is required'],
    [
      { ...base, transport: { type: 'sendmail', path: '/x', args: '-t' } },
      'transport.args: must be an array of strings',
    ],
    [{ ...base, transport: { type: 'smtp', port: 25 } }, 'transport.host: is required'],
    [
      { ...base, transport: { type: 'smtp', host: 'h', port: 70000 } },
      'transport.port: must be a whole number from 1 to 65535, got 70000',
    ],
    [
      { ...base, transport: { type: 'smtp', host: 'h', secure: 'yes' } },
      'transport.secure: must be true or false, got "yes"',
    ],
    [
      { ...base, transport: { type: 'smtp', host: 'h', auth: { user: 'u' } } },
      'transport.auth.pass: is required',
    ],
    [{ ...base, transport: { type: 'file' } }, 'transport.dir: is required'],
    [
      { ...base, transport: { type: 'smtp', host: 'h', tls: { verify: false } } },
      'transport.tls.verify: unknown key',
    ],
    [{ ...base, transport: { type: 'file', dir: '/x', mode: 1 } }, 'transport.mode: unknown key'],
    [
      { ...base, envelopeform: 'x@example.com' },
      'envelopeform: unknown key (allowed: transport, envelopeFrom,',
    ],
    [{ ...base, maxRecipients: 0 }, 'maxRecipients: must be a whole number from 1'],
    [{ ...base, maxRecipients: 2.5 }, 'maxRecipients: must be a whole number'],
    [
      { ...base, defaultFrom: 'not an address' },
      'defaultFrom: must be "addr@example.com" or "Name <addr@example.com>"',
    ],
    [{ ...base, defaultFrom: 'Shop <shop@localhost>' }, 'defaultFrom: has an invalid address'],
    [{ ...base, legacyCharset: 'latin 1; rm' }, 'legacyCharset: is not a charset name'],
    [
      { ...base, legacyCharset: 'klingon-8' },
      'legacyCharset: is not a charset mailhygiene can decode',
    ],
    [
      { ...base, legacyCharset: 'utf-16' },
      'legacyCharset: is not an ASCII-compatible legacy charset',
    ],
    [{ ...base, log: 42 }, 'log: must be a non-empty string, got 42'],
    [{ ...base, debug: 'on' }, 'debug: must be true or false'],
    [[], 'must be a JSON object'],
  ])('refuses %j with a readable message', (data, message) => {
    expect(problems(data)).toContain(message);
  });

  it('lists every problem at once', () => {
    const msg = problems({ transport: { type: 'file' }, maxRecipients: -1, colour: 'red' });
    expect(msg).toContain('transport.dir: is required');
    expect(msg).toContain('envelopeFrom: is required');
    expect(msg).toContain('maxRecipients: must be');
    expect(msg).toContain('colour: unknown key');
    expect(msg.split('\n')).toHaveLength(5); // header line + 4 problems
  });
});

describe('loadConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mh-shim-config-'));

  it('reads $MAILHYGIENE_CONFIG', () => {
    const path = join(dir, 'ok.json');
    writeFileSync(path, JSON.stringify(base));
    expect(loadConfig({ MAILHYGIENE_CONFIG: path }).envelopeFrom).toBe('bounces@example.com');
  });

  it('names a missing file and broken JSON', () => {
    const missing = join(dir, 'missing.json');
    expect(() => loadConfig({ MAILHYGIENE_CONFIG: missing })).toThrow(`${missing}: not found`);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"transport": ');
    expect(() => loadConfig({ MAILHYGIENE_CONFIG: broken })).toThrow(
      /broken\.json: not valid JSON/,
    );
  });
});
