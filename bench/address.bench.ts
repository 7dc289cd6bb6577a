/**
 * Address parsing stays linear (issue 3): how long compose()'s mailbox parser
 * takes to refuse 1 MB pathological addresses, beside nodemailer's
 * addressparser on the same input (which parses rather than refuses).
 * The unit test asserts a generous bound (< 100 ms); this measures the real figure.
 *
 *   node --import tsx bench/address.bench.ts
 */
import { createRequire } from 'node:module';
import { parseMailbox } from '../src/wire/address/parse.js';
import { MailHygieneError } from '../src/wire/errors.js';
import { median } from './harness.js';

const require = createRequire(import.meta.url);
const addressparser = require('nodemailer/lib/addressparser') as (s: string) => unknown;

/** The pathological shapes, at 1 MiB and just under our 2,048-character input cap (so the grammar itself runs). */
function shapes(n: number): Array<[string, string]> {
  return [
    ['@ flood', '@'.repeat(n)],
    ['comment flood', '('.repeat(n)],
    ['quote flood', '"'.repeat(n)],
    ['nested groups', `${'a:'.repeat(n / 2 - 1)};`],
    ['many-at addr-spec', `${'a@'.repeat((n - 12) / 2)}example.com`],
  ];
}
const inputs: Array<[string, string]> = [
  ...shapes(1 << 20).map(([l, s]): [string, string] => [`${l}, 1 MiB`, s]),
  ...shapes(2046).map(([l, s]): [string, string] => [`${l}, 2 KiB`, s]),
];

function time(fn: () => void, rounds: number): number {
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

export function runAddressBench(): string {
  const rounds = process.env['BENCH_SMOKE'] === '1' ? 1 : 9;
  const rows = [
    '| input | ours: refuse (median ms) | nodemailer addressparser (median ms) |',
    '|---|---:|---:|',
  ];
  for (const [label, s] of inputs) {
    const ours = time(() => {
      try {
        parseMailbox(s, 'to', { smtputf8: false });
        throw new Error(`accepted ${label}`);
      } catch (e) {
        if (!(e instanceof MailHygieneError)) throw e;
      }
    }, rounds);
    const theirs = time(() => addressparser(s), rounds);
    rows.push(`| ${label} | ${ours.toFixed(3)} | ${theirs.toFixed(1)} |`);
  }
  return ['#### Address parsing: pathological input (refused by compose())', '', ...rows, ''].join(
    '\n',
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${runAddressBench()}\n`);
}
