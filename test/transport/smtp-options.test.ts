/**
 * smtpTransport's options live in one table (src/send/smtp-options.ts); the
 * README table, the nodemailer mapping and the shim's config keys come from it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SMTP_CONFIG_OPTIONS, SMTP_OPTIONS } from '../../src/send/index.js';
import { ConfigError, validateConfig } from '../../src/tools/cli/sendmail/config.js';

const README = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');

/** The rows of the README's "smtpTransport options" table: option names and meaning. */
function readmeRows(): { names: string[]; meaning: string }[] {
  const start = README.indexOf('### smtpTransport options');
  expect(start).toBeGreaterThan(-1);
  const lines = README.slice(start).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|---'));
  const rows: { names: string[]; meaning: string }[] = [];
  for (const line of lines.slice(first + 1)) {
    if (!line.startsWith('| ')) break;
    const cut = line.indexOf(' | ');
    const names = [...line.slice(2, cut).matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    rows.push({ names, meaning: line.slice(cut + 3, -2) });
  }
  return rows;
}

/** The same rows from the table: an empty `readme` joins the row above. */
function tableRows(): { names: string[]; meaning: string }[] {
  const rows: { names: string[]; meaning: string }[] = [];
  for (const [name, row] of Object.entries(SMTP_OPTIONS)) {
    if (row.readme === '') rows[rows.length - 1]!.names.push(name);
    else rows.push({ names: [name], meaning: row.readme });
  }
  return rows;
}

describe('the SMTP option table', () => {
  it('is the README table, row for row', () => {
    expect(readmeRows()).toEqual(tableRows());
  });

  it('gives the shim config file its smtp keys', () => {
    const config = {
      envelopeFrom: 'bounces@example.com',
      transport: { type: 'smtp', host: 'relay.example.com', bogus: 1 },
    };
    let message = '';
    try {
      validateConfig(config, 'x.json');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      message = (e as Error).message;
    }
    expect(message).toContain(
      `transport.bogus: unknown key (allowed: ${['type', ...SMTP_CONFIG_OPTIONS, 'timeoutMs'].join(', ')})`,
    );
    expect(SMTP_CONFIG_OPTIONS).toEqual([
      'host',
      'port',
      'secure',
      'requireTLS',
      'ignoreTLS',
      'tls',
      'auth',
      'name',
    ]);
  });
});
