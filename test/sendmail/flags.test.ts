import { describe, expect, it } from 'vitest';
import { parseSendmailFlags, UsageError } from '../../src/tools/cli/sendmail/flags.js';

describe('parseSendmailFlags', () => {
  it('reads what PHP mail() passes (sendmail_path "-t -i" plus the 5th parameter)', () => {
    const f = parseSendmailFlags(['-t', '-i', '-f', 'bounce+id=x@example.com']);
    expect(f).toEqual({
      extractRecipients: true,
      ignoreDots: true,
      sender: 'bounce+id=x@example.com',
      recipients: [],
      ignored: [],
    });
  });

  it('--help asks for the usage (and needs no recipient)', () => {
    expect(parseSendmailFlags(['--help']).help).toBe(true);
    expect(parseSendmailFlags(['-t', '--help']).help).toBe(true);
    expect(parseSendmailFlags(['-t']).help).toBeUndefined();
  });

  it('takes attached and separate values for -f, -r and -F', () => {
    expect(parseSendmailFlags(['-t', '-fa@example.com']).sender).toBe('a@example.com');
    expect(parseSendmailFlags(['-t', '-r', 'b@example.com']).sender).toBe('b@example.com');
    expect(parseSendmailFlags(['-t', '-rc@example.com']).sender).toBe('c@example.com');
    expect(parseSendmailFlags(['-t', '-F', 'Cron Daemon']).fullName).toBe('Cron Daemon');
    expect(parseSendmailFlags(['-t', '-FCronDaemon']).fullName).toBe('CronDaemon');
    // the later one wins, as with sendmail
    expect(parseSendmailFlags(['-t', '-f', 'a@example.com', '-r', 'b@example.com']).sender).toBe(
      'b@example.com',
    );
  });

  it('treats -oi like -i and groups boolean letters as getopt does', () => {
    expect(parseSendmailFlags(['-t', '-oi']).ignoreDots).toBe(true);
    const grouped = parseSendmailFlags(['-ti']);
    expect(grouped.extractRecipients).toBe(true);
    expect(grouped.ignoreDots).toBe(true);
    const withValue = parseSendmailFlags(['-tif', 'x@example.com']);
    expect(withValue.sender).toBe('x@example.com');
    expect(parseSendmailFlags(['-t']).ignoreDots).toBe(false);
  });

  it('accepts and records the compatibility options it ignores', () => {
    const f = parseSendmailFlags([
      '-odi',
      '-odb',
      '-oem',
      '-oee',
      '-v',
      '-bm',
      '-U',
      '-Ac',
      '-Am',
      '-B8BITMIME',
      '-om',
      'someone@example.com',
    ]);
    expect(f.ignored).toEqual([
      '-odi',
      '-odb',
      '-oem',
      '-oee',
      '-v',
      '-bm',
      '-U',
      '-Ac',
      '-Am',
      '-B8BITMIME',
      '-om',
    ]);
    expect(f.recipients).toEqual(['someone@example.com']);
  });

  it("reads cron's command line (Debian cron: -FCronDaemon -i -B8BITMIME -oem user)", () => {
    const f = parseSendmailFlags(['-FCronDaemon', '-i', '-B8BITMIME', '-oem', 'ops@example.com']);
    expect(f.fullName).toBe('CronDaemon');
    expect(f.ignoreDots).toBe(true);
    expect(f.recipients).toEqual(['ops@example.com']);
  });

  it('takes recipients after the options and after --', () => {
    expect(parseSendmailFlags(['-i', 'a@example.com', 'b@example.com']).recipients).toEqual([
      'a@example.com',
      'b@example.com',
    ]);
    // after -- an argument that looks like an option is a recipient (checked later as an address)
    expect(parseSendmailFlags(['-i', '--', '-X/tmp/log']).recipients).toEqual(['-X/tmp/log']);
    // options end at the first recipient
    expect(parseSendmailFlags(['a@example.com', '-t']).recipients).toEqual(['a@example.com', '-t']);
  });

  it.each([
    [['-X', '/tmp/log', '-t'], /unknown option -X/],
    [['-C/etc/evil.cf', '-t'], /unknown option -C/],
    [['-O', 'QueueDirectory=/tmp', '-t'], /unknown option -O/],
    [['-bs'], /unsupported mode -bs/],
    [['-bp'], /unsupported mode -bp/],
    [['-t', '-oQ/tmp'], /unsupported option -oQ\/tmp/],
    [['-t', '-BBINARYMIME'], /unsupported body type/],
    [['-t', '-f'], /-f needs a value/],
    [['-t', '-F'], /-F needs a value/],
    [['-i'], /no recipients/],
    [[], /no recipients/],
    [['-t', '--verbose'], /unknown option --/],
    [['-t', '-F', 'Eve\r\nBcc: x@example.com'], /control character \(U\+000D\)/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseSendmailFlags(argv)).toThrow(UsageError);
    expect(() => parseSendmailFlags(argv)).toThrow(message);
  });
});
