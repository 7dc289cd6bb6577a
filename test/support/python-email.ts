/**
 * CPython's `email` package (BytesParser + policy.default) as an independent
 * judge of raw messages, kept alive in ONE worker process so property tests can
 * check thousands of messages (≈1 ms each instead of ≈60 ms per spawn).
 *
 * Protocol (see email_check.py): the worker prints a `{"ready":true}` line,
 * then answers each request (8-byte big-endian length + raw bytes on stdin)
 * with one JSON line, in order. Requests are pipelined: many may be in flight,
 * answers are matched first-in-first-out.
 *
 * If the worker dies, the requests in flight are rejected with its stderr and
 * the next `check()` starts a fresh worker.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';

/** Path of the Python script (also usable by hand: `python3 test/support/email_check.py FILE`). */
export const EMAIL_CHECK_PY = fileURLToPath(new URL('./email_check.py', import.meta.url));

export interface PyAddress {
  name: string;
  address: string;
}

/** A defect recorded by Python on a part (`header` null) or on one header of it. */
export interface PyDefect {
  /** MIME part path: `0` is the message, `0.1` its second child, … */
  part: string;
  header: string | null;
  /** Python class name, e.g. `InvalidHeaderDefect`, `CloseBoundaryNotFoundDefect`. */
  type: string;
  message: string;
}

/** Byte-level checks made by email_check.py itself (Python's parser is lenient there). */
export type PyRawCheckCode =
  | 'bare-lf'
  | 'bare-cr'
  | 'control-char'
  | 'header-8bit'
  | 'part-header-8bit'
  | 'line-too-long'
  | 'missing-date'
  | 'missing-from'
  | 'missing-message-id'
  | 'missing-mime-version'
  | 'text-without-charset'
  | 'declared-7bit-with-8bit'
  | 'bcc-present'
  | 'duplicate-header';

export interface PyRawCheck {
  code: PyRawCheckCode;
  message: string;
}

/** One leaf part as Python decodes it. */
export interface PyPart {
  path: string;
  contentType: string;
  charset: string | null;
  /** Lower-cased Content-Transfer-Encoding, null when the header is absent. */
  cte: string | null;
  disposition: 'inline' | 'attachment' | null;
  /** RFC 2231 decoded. */
  filename: string | null;
  /** Content-ID as written, angle brackets included. */
  cid: string | null;
  /** Content-Type parameters other than charset, name and boundary (lower-case names). */
  params: Record<string, string>;
  /** Content-Description, Content-Language, Content-Location as Python reads them. */
  description: string | null;
  language: string | null;
  location: string | null;
  /** Decoded size in bytes. */
  size?: number;
  /** text/* parts: decoded with their charset. Python keeps CRLF line endings. */
  text?: string;
  /** Other parts: the decoded bytes, base64. */
  base64?: string;
  /** True when the bytes did not decode strictly with the declared charset. */
  charsetError?: boolean;
  contentError?: string;
}

export interface PyHeaders {
  subject: string | null;
  from: PyAddress[] | null;
  sender: PyAddress[] | null;
  to: PyAddress[] | null;
  cc: PyAddress[] | null;
  replyTo: PyAddress[] | null;
  bcc: PyAddress[] | null;
  date: string | null;
  /** Null when Python cannot parse the date. */
  dateIso: string | null;
  messageId: string | null;
  /** Every top-level field name in order, as Python split the header block. */
  names: string[];
  /**
   * Every top-level field as `[name, value]`, encoded-words decoded. Python
   * 3.11 keeps the leading space of a value folded right after the colon
   * (`X-Long:` CRLF ` value`), cpython gh-124452, fixed in 3.12.8 and 3.13.1.
   */
  fields: Array<[string, string]>;
}

export interface PyCheckResult {
  /** No Python defect and no raw-check finding. */
  ok: boolean;
  defects: PyDefect[];
  rawChecks: PyRawCheck[];
  headers: PyHeaders;
  parts: PyPart[];
  /** Set (and nothing else) when Python raised while parsing. */
  error?: string;
}

export interface PythonEmail {
  /** Judge one raw message. A string is encoded as UTF-8. */
  check(raw: Uint8Array | string): Promise<PyCheckResult>;
  /** End the worker (EOF on stdin) and wait for it. */
  close(): Promise<void>;
  /** Process id of the current worker (changes after a restart); for diagnostics. */
  readonly pid: number | undefined;
}

export interface PythonEmailOptions {
  /** Interpreter; default `$PYTHON` or `python3`. */
  python?: string;
  /** Upper bound for the worker to start. Default 15 s. */
  startTimeoutMs?: number;
}

interface Pending {
  resolve(r: PyCheckResult): void;
  reject(e: Error): void;
}

/**
 * Start the Python worker.
 *
 * @example
 * const py = await startPythonEmail();
 * const r = await py.check(composed.raw);
 * expect(pyFindings(r)).toEqual([]);
 * await py.close();
 */
export async function startPythonEmail(options: PythonEmailOptions = {}): Promise<PythonEmail> {
  const python = options.python ?? process.env['PYTHON'] ?? 'python3';
  const startTimeoutMs = options.startTimeoutMs ?? 15_000;

  let worker: Worker | undefined = await Worker.start(python, startTimeoutMs);
  let closed = false;

  return {
    async check(raw) {
      if (closed) throw new Error('python-email: check() after close()');
      if (!worker || worker.dead) worker = await Worker.start(python, startTimeoutMs);
      return worker.check(typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw);
    },
    get pid() {
      return worker?.pid;
    },
    async close() {
      closed = true;
      const w = worker;
      worker = undefined;
      if (w) await w.close();
    },
  };
}

/**
 * All findings of a result as readable strings (`[bare-lf] …`,
 * `part 0.1 header Content-Type: InvalidHeaderDefect: …`), for assertions
 * whose failure message should say what is wrong.
 */
export function pyFindings(r: PyCheckResult): string[] {
  if (r.error) return [`python error: ${r.error}`];
  return [
    ...r.defects.map(
      (d) =>
        `part ${d.part}${d.header ? ` header ${d.header}` : ''}: ${d.type}${d.message ? `: ${d.message}` : ''}`,
    ),
    ...r.rawChecks.map((c) => `[${c.code}] ${c.message}`),
  ];
}

/**
 * {@link pyFindings} of `raw` less what RFC 2045 §5.2 settles: 7-bit text
 * without a charset is US-ASCII. repair() leaves such a body as it is.
 */
export function pyFindingsOf(r: PyCheckResult, raw: Uint8Array): string[] {
  const ascii = !raw.some((b) => b > 0x7f);
  return pyFindings(r).filter((x) => !(ascii && x.startsWith('[text-without-charset]')));
}

/** Decoded bytes of a non-text leaf part. */
export function pyPartBytes(p: PyPart): Buffer {
  if (p.base64 !== undefined) return Buffer.from(p.base64, 'base64');
  return Buffer.from(p.text ?? '', 'utf8');
}

class Worker {
  dead = false;
  private readonly queue: Pending[] = [];
  private stdoutBuf = '';
  private stderrTail = '';
  private exited: Promise<void>;

  private constructor(
    private readonly proc: ChildProcessWithoutNullStreams,
    private readonly onReady: (err?: Error) => void,
  ) {
    this.exited = new Promise((resolve) => proc.once('close', () => resolve()));
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk: string) => this.onStdout(chunk));
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (chunk: string) => {
      // keep only the end: a traceback is what matters
      this.stderrTail = (this.stderrTail + chunk).slice(-4000);
    });
    // EPIPE when the worker died while we were writing: reported through 'close'
    proc.stdin.on('error', () => {});
    proc.once('error', (err) => this.fail(`cannot run python: ${err.message}`));
    proc.once('close', (code, signal) =>
      this.fail(`python worker exited (code ${code}, signal ${signal})`),
    );
  }

  static start(python: string, timeoutMs: number): Promise<Worker> {
    return new Promise((resolve, reject) => {
      // -I: isolated mode, ignore PYTHON* env and user site-packages (stdlib only)
      const proc = spawn(python, ['-I', EMAIL_CHECK_PY, '--serve'], {
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const timer = setTimeout(() => {
        proc.kill();
        reject(new Error(`python-email: worker did not start within ${timeoutMs} ms`));
      }, timeoutMs);
      const w: Worker = new Worker(proc, (err) => {
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(w);
      });
    });
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  check(raw: Uint8Array): Promise<PyCheckResult> {
    if (this.dead) return Promise.reject(new Error('python-email: worker is dead'));
    return new Promise((resolve, reject) => {
      this.queue.push({ resolve, reject });
      const head = Buffer.alloc(8);
      head.writeBigUInt64BE(BigInt(raw.byteLength));
      this.proc.stdin.write(head);
      this.proc.stdin.write(raw);
    });
  }

  async close(): Promise<void> {
    if (!this.dead) this.proc.stdin.end();
    await this.exited;
  }

  private ready = false;

  private onStdout(chunk: string): void {
    this.stdoutBuf += chunk;
    let nl = this.stdoutBuf.indexOf('\n');
    while (nl >= 0) {
      const line = this.stdoutBuf.slice(0, nl);
      this.stdoutBuf = this.stdoutBuf.slice(nl + 1);
      this.onLine(line);
      nl = this.stdoutBuf.indexOf('\n');
    }
  }

  private onLine(line: string): void {
    if (!this.ready) {
      this.ready = true;
      this.onReady();
      return;
    }
    const pending = this.queue.shift();
    if (!pending) {
      this.fail(`python-email: unexpected output: ${line.slice(0, 200)}`);
      return;
    }
    try {
      pending.resolve(JSON.parse(line) as PyCheckResult);
    } catch (err) {
      pending.reject(new Error(`python-email: bad JSON from worker: ${(err as Error).message}`));
    }
  }

  private fail(reason: string): void {
    if (this.dead) return;
    this.dead = true;
    const err = new Error(`${reason}${this.stderrTail ? `\n${this.stderrTail}` : ''}`);
    if (!this.ready) this.onReady(err);
    for (const p of this.queue.splice(0)) p.reject(err);
  }
}

/**
 * One worker for the test file it is called in (started before its tests,
 * closed after them). Call at the top level or inside a `describe`.
 *
 * @example
 * const py = usePythonEmail();
 * it('…', async () => expect(pyFindings(await py.check(raw))).toEqual([]));
 */
export function usePythonEmail(): Pick<PythonEmail, 'check'> {
  let worker: PythonEmail | undefined;
  beforeAll(async () => {
    worker = await startPythonEmail();
  });
  afterAll(async () => {
    await worker?.close();
  });
  return {
    check: (raw) => {
      if (!worker) throw new Error('usePythonEmail: check() before the worker started');
      return worker.check(raw);
    },
  };
}

/**
 * A display name as it can be compared with Python's reading of it. Python
 * 3.11's address parser does not follow RFC 2047 §6.2 in display names: it
 * puts a space between adjacent encoded-words and collapses whitespace runs
 * and TABs decoded from them. So names are compared with Python without any
 * whitespace (postal-mime and mailparser are compared exactly).
 */
export function pyDisplayNameKey(name: string): string {
  return name.replace(/\s+/g, '');
}

/** Python's DOT_ATOM_ENDS: the characters that make Address.addr_spec quote a local part. */
const PY_QUOTE_LOCAL = /[()<>@,:;\\"[\]\s]/;

/**
 * An addr-spec as Python's `Address.addr_spec` writes it back: the content of
 * a quoted local part is quoted again only when it holds a special other than
 * "." (`"a..b"@x` reads as `a..b@x`, `"a\"b"@x` stays quoted). The same
 * mailbox, spelled Python's way.
 */
export function pyAddrSpec(address: string): string {
  if (!address.startsWith('"')) return address;
  const at = address.lastIndexOf('@');
  const content = address.slice(1, at - 1).replace(/\\(.)/g, '$1');
  const local = PY_QUOTE_LOCAL.test(content)
    ? `"${content.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
    : content;
  return `${local}${address.slice(at)}`;
}
