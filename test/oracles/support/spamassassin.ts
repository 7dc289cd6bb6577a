/**
 * SpamAssassin (local tests only, Debian-shipped rules, Bayes off) as a judge.
 * Uses the spamd started by scripts/setup-spamassassin.sh through `spamc -R`
 * (0.1–0.3 s per message); when spamd does not answer, falls back to
 * `spamassassin -t -L` (≈2 s per message, same rules).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const SPAMD_HOST = '127.0.0.1';
export const SPAMD_PORT = Number(process.env['ORACLE_SPAMD_PORT'] ?? 7830);
/** The private site config the setup script writes (Bayes off); used by the fallback too. */
const SITE_CONFIG = '/var/tmp/mailhygiene-oracles/sa/site';

/**
 * Rules that fire on every raw file that has not travelled through a relay;
 * they say nothing about the message and are left out of `rules`.
 */
export const RAW_FILE_NOISE = new Set(['NO_RECEIVED', 'NO_RELAYS']);

export interface SpamRule {
  name: string;
  score: number;
  description: string;
}

export interface SpamResult {
  /** Total as SpamAssassin reports it (the noise rules score 0). */
  score: number;
  required: number;
  /** Rules that fired, without RAW_FILE_NOISE. */
  rules: SpamRule[];
  /** Rules with a positive score: what a clean message must not have. */
  positive: SpamRule[];
  via: 'spamd' | 'spamassassin';
  /** The report text, for assertion messages. */
  report: string;
}

function run(
  cmd: string,
  args: string[],
  input: Uint8Array,
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8');
    p.stderr.setEncoding('utf8');
    p.stdout.on('data', (d: string) => {
      stdout += d;
    });
    p.stderr.on('data', (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    p.stdin.on('error', () => {});
    p.stdin.end(input);
  });
}

/**
 * True when spamd answers a PING (SPAMC protocol) on its port. Checked before
 * each scan because spamc would otherwise retry for seconds when it is down.
 */
export function spamdListening(timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(SPAMD_PORT, SPAMD_HOST);
    let answer = '';
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.setEncoding('latin1');
    s.once('connect', () => s.write('PING SPAMC/1.5\r\n\r\n'));
    s.on('data', (d: string) => {
      answer += d;
      if (answer.includes('\n')) done(/^SPAMD\/[\d.]+ 0 PONG/.test(answer));
    });
    s.once('end', () => done(/PONG/.test(answer)));
    s.once('error', () => done(false));
  });
}

/** Parse the "Content analysis details" table of a SpamAssassin report. */
export function parseReport(report: string): Omit<SpamResult, 'via' | 'positive'> {
  const start = report.indexOf('Content analysis details:');
  if (start < 0) throw new Error(`no SpamAssassin report in:\n${report.slice(0, 2000)}`);
  const lines = report.slice(start).split(/\r?\n/);
  const head = /\(\s*(-?[\d.]+) points, (-?[\d.]+) required\)/.exec(lines[0] ?? '');
  const all: SpamRule[] = [];
  for (const line of lines.slice(1)) {
    const r = /^\s*(-?\d+(?:\.\d+)?)\s+([A-Z0-9_]+)\s+(.*)$/.exec(line);
    if (r) {
      all.push({ name: r[2]!, score: Number(r[1]), description: r[3]!.trim() });
    } else if (all.length > 0 && /^\s{20,}\S/.test(line)) {
      all[all.length - 1]!.description += ` ${line.trim()}`; // wrapped description
    }
  }
  return {
    score: head ? Number(head[1]) : Number.NaN,
    required: head ? Number(head[2]) : Number.NaN,
    rules: all.filter((r) => !RAW_FILE_NOISE.has(r.name)),
    report: report.slice(start),
  };
}

/**
 * Score one raw message. `via` forces one path (default: spamd when it
 * answers, else the spamassassin program).
 *
 * @example
 * const r = await spamCheck(composed.raw);
 * expect(r.positive).toEqual([]);
 */
export async function spamCheck(
  raw: Uint8Array | string,
  options: { via?: 'spamd' | 'spamassassin' } = {},
): Promise<SpamResult> {
  const input = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
  if (options.via !== 'spamassassin' && (await spamdListening())) {
    // -x: fail instead of printing a harmless "0/0" when spamd is unavailable;
    // -s: raise the 500 KB default so big messages are scanned, not skipped
    const r = await run(
      'spamc',
      ['-d', SPAMD_HOST, '-p', String(SPAMD_PORT), '-x', '-R', '-s', String(64 * 1024 * 1024)],
      input,
      60_000,
    );
    if (r.code === 0 || r.code === 1) {
      const parsed = parseReport(r.stdout);
      return { ...parsed, positive: parsed.rules.filter((x) => x.score > 0), via: 'spamd' };
    }
    if (options.via === 'spamd')
      throw new Error(`spamc exited ${r.code}: ${r.stderr.slice(-2000)}`);
  } else if (options.via === 'spamd') {
    throw new Error(
      `spamd does not answer on ${SPAMD_HOST}:${SPAMD_PORT}: bash scripts/setup-oracles.sh`,
    );
  }
  // fallback: the full perl program, local tests only, our own prefs (Bayes off)
  const dir = await mkdtemp(path.join(tmpdir(), 'mh-sa-'));
  try {
    const prefs = path.join(dir, 'user_prefs');
    await writeFile(prefs, 'use_bayes 0\nbayes_auto_learn 0\n');
    const args = ['-t', '-L', '-x', '-p', prefs, '--cf=report_safe 0'];
    if (existsSync(SITE_CONFIG)) args.push(`--siteconfigpath=${SITE_CONFIG}`);
    const r = await run('spamassassin', args, input, 120_000);
    if (r.code !== 0 && r.code !== 1) {
      throw new Error(`spamassassin exited ${r.code}: ${r.stderr.slice(-2000)}`);
    }
    const parsed = parseReport(r.stdout);
    return { ...parsed, positive: parsed.rules.filter((x) => x.score > 0), via: 'spamassassin' };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
