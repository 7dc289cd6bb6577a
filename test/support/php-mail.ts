/**
 * What PHP's mail() writes to sendmail, as committed fixtures
 * (test/fixtures/php/*.eml) and as the installed php-cli writes it now: the
 * oracle test test/oracles/php-mail-capture.test.ts regenerates every
 * captured fixture with `sendmail_path` set to a command that saves stdin and
 * compares it byte for byte (MH_UPDATE_PHP_FIXTURES=1 rewrites them).
 *
 * PHP 8.2 is the only PHP on the test machines. PHP 7's layout is built from
 * its source (ext/standard/mail.c, php_mail() in 7.4): `To: %s\n`,
 * `Subject: %s\n`, the additional headers as the script gave them plus `\n`,
 * then `\n%s\n` with the message. PHP 8 writes the same with
 * `mail.mixed_lf_and_crlf=On`, which the oracle test checks.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PHP_FIXTURES = new URL('../fixtures/php/', import.meta.url);

/** The arguments of one mail() call. */
export interface PhpMailCall {
  to: string;
  subject: string;
  message: string;
  headers: string;
}

export interface PhpMailCase {
  /** File name under test/fixtures/php/ without `.eml`. */
  name: string;
  call: PhpMailCall;
  /** php.ini settings besides sendmail_path (`-d` values). */
  ini: string[];
  /** 'php8.2' is captured from php-cli; 'php7' is built from PHP 7's documented layout. */
  source: 'php8.2' | 'php7';
}

/** A contact form that copies the visitor's address into Reply-To. */
const FORM = {
  to: 'support@example.com',
  subject: 'Kontaktformular: Rückruf erbeten',
  message: 'Name: Erika Mustermann\nTelefon: 0221 123456\n\nBitte rufen Sie mich zurück.\n',
};
const FROM = 'From: Kontaktformular <kontakt@example.com>';
/** What an attacker types into the form's e-mail field: one `\n`, which PHP 8 lets through. */
const INJECTED_REPLY_TO = 'Reply-To: visitor@example.net\nBcc: evil1@x.example, evil2@x.example';
const MIXED = ['mail.mixed_lf_and_crlf=On'];

export const PHP_MAIL_CASES: readonly PhpMailCase[] = [
  {
    name: 'php82-form',
    source: 'php8.2',
    ini: [],
    call: { ...FORM, headers: `${FROM}\r\nReply-To: visitor@example.net\r\nX-Mailer: PHP/8.2` },
  },
  {
    name: 'php82-form-injected',
    source: 'php8.2',
    ini: [],
    call: { ...FORM, headers: `${FROM}\r\n${INJECTED_REPLY_TO}\r\nX-Mailer: PHP/8.2` },
  },
  {
    name: 'php82-form-injected-last',
    source: 'php8.2',
    ini: [],
    call: { ...FORM, headers: `${FROM}\r\n${INJECTED_REPLY_TO}` },
  },
  {
    name: 'php82-mixed-form',
    source: 'php8.2',
    ini: MIXED,
    call: { ...FORM, headers: `${FROM}\r\nReply-To: visitor@example.net\r\nX-Mailer: PHP/8.2` },
  },
  {
    // Inside the CRLF run of the additional headers: still told apart under the mixed layout.
    name: 'php82-mixed-form-injected',
    source: 'php8.2',
    ini: MIXED,
    call: { ...FORM, headers: `${FROM}\r\n${INJECTED_REPLY_TO}\r\nX-Mailer: PHP/8.2` },
  },
  {
    // Old scripts that separate their headers with "\n": all LF under the mixed layout.
    name: 'php82-mixed-lf-headers',
    source: 'php8.2',
    ini: MIXED,
    call: { ...FORM, headers: `${FROM}\nReply-To: visitor@example.net\nX-Mailer: PHP/8.2` },
  },
  {
    // The same script under PHP 8's default: its "\n" sit between CRLF lines, as an injected one does.
    name: 'php82-lf-headers',
    source: 'php8.2',
    ini: [],
    call: { ...FORM, headers: `${FROM}\nReply-To: visitor@example.net\nX-Mailer: PHP/8.2` },
  },
  {
    name: 'php82-undisclosed-recipients',
    source: 'php8.2',
    ini: [],
    call: {
      to: 'undisclosed-recipients:;',
      subject: 'Newsletter Dezember',
      message: 'Liebe Mitglieder,\n\ndas Treffen ist am Freitag.\n',
      headers: 'From: Verein <vorstand@example.com>\r\nBcc: anna@example.org, ben@example.net',
    },
  },
  {
    name: 'php7-form',
    source: 'php7',
    ini: [],
    call: { ...FORM, headers: `${FROM}\r\nReply-To: visitor@example.net\r\nX-Mailer: PHP/7.4` },
  },
];

/** PHP 7.4's php_mail(): To and Subject with LF, the headers as given, LF, an empty line, the message, LF. */
export function php7Layout(call: PhpMailCall): Buffer {
  const headers = call.headers === '' ? '' : `${call.headers}\n`;
  return Buffer.from(
    `To: ${call.to}\nSubject: ${call.subject}\n${headers}\n${call.message}\n`,
    'utf8',
  );
}

const PHP_CODE = `
$a = json_decode(getenv('MH_MAIL'), true);
echo mail($a['to'], $a['subject'], $a['message'], $a['headers']) ? 'MAIL_TRUE' : 'MAIL_FALSE';
`;

/** Runs the installed php-cli's mail() with sendmail_path saving stdin; returns what PHP wrote. */
export function capturePhpMail(call: PhpMailCall, ini: readonly string[]): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'mh-php-capture-'));
  try {
    const out = join(dir, 'mail.eml');
    const args = ['-n', '-d', `sendmail_path=cat > '${out}'`];
    for (const setting of ini) args.push('-d', setting);
    const r = spawnSync('php', [...args, '-r', PHP_CODE], {
      env: { ...process.env, MH_MAIL: JSON.stringify(call) },
      encoding: 'utf8',
    });
    if (r.status !== 0 || r.stdout !== 'MAIL_TRUE') {
      throw new Error(`php mail() failed (${r.status}): ${r.stdout} ${r.stderr}`);
    }
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What the case's PHP writes: php-cli for PHP 8.2 cases, the documented layout for PHP 7. */
export function generatePhpMail(c: PhpMailCase): Buffer {
  return c.source === 'php7' ? php7Layout(c.call) : capturePhpMail(c.call, c.ini);
}

/** The committed fixture of a case. */
export function phpFixture(name: string): Buffer {
  return readFileSync(new URL(`${name}.eml`, PHP_FIXTURES));
}
