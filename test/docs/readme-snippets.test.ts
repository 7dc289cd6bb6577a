/**
 * The README's TypeScript snippets are code: every ```ts block is typechecked
 * against the source (`'mailhygiene'` → src/index.ts), so a renamed option, a
 * wrong field or a result used the wrong way fails here, not for a reader.
 *
 * Each block is its own module. Exports of the library that a block uses
 * without importing (a block continuing an earlier one) are imported for it;
 * the placeholders below stand for the reader's own values. A block may
 * declare a name of its own that shadows a placeholder.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import * as library from '../../src/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Markdown files whose ```ts blocks are checked. */
const DOCS = ['README.md'];

/** The reader's own values the snippets refer to (a global script, so blocks may shadow them). */
const PLACEHOLDERS = `
type MessageInput = import('SRC').MessageInput;
declare const pdfBytes: Uint8Array;
declare const msg: MessageInput;
declare const message: MessageInput;
declare const input: MessageInput;
declare const user: string;
declare const pass: string;
declare const pem: string;
declare const rsaPem: string;
declare const edPem: string;
declare const raw: Buffer;
declare function retryLater(): void;
declare const messages: MessageInput[];
declare const sendBatch: typeof import('EXAMPLES/batch-send.js').sendBatch;
`;

interface Block {
  doc: string;
  line: number;
  code: string;
}

function blocks(doc: string): Block[] {
  const lines = readFileSync(join(ROOT, doc), 'utf8').split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== '```ts') continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end]!.trim() !== '```') end++;
    out.push({ doc, line: start + 1, code: lines.slice(start, end).join('\n') });
    i = end;
  }
  return out;
}

const all = DOCS.flatMap(blocks);
const dir = mkdtempSync(join(tmpdir(), 'readme-snippets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function moduleFor(block: Block, srcImport: string): string {
  const code = block.code.replaceAll(`from 'mailhygiene'`, `from '${srcImport}'`);
  const imported = new Set(
    [...code.matchAll(/import\s*\{([^}]*)\}/g)].flatMap((m) =>
      m[1]!.split(',').map(
        (s) =>
          s
            .trim()
            .split(/\s+as\s+/)
            .pop()!,
      ),
    ),
  );
  const used = Object.keys(library).filter(
    (name) => !imported.has(name) && new RegExp(`\\b${name}\\b`).test(code),
  );
  const preamble = used.length ? `import { ${used.join(', ')} } from '${srcImport}';\n` : '';
  return `${preamble}${code}\nexport {};\n`;
}

function typecheck(): Map<Block, string[]> {
  mkdirSync(dir, { recursive: true });
  // ES modules, as the README's readers write them (top-level await).
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  const srcImport = relative(dir, join(ROOT, 'src/index.js')).replaceAll('\\', '/');
  const placeholders = join(dir, 'placeholders.d.ts');
  const examplesImport = relative(dir, join(ROOT, 'examples')).replaceAll('\\', '/');
  writeFileSync(
    placeholders,
    PLACEHOLDERS.replace('SRC', srcImport).replace('EXAMPLES', examplesImport),
  );
  const files = new Map<string, Block>();
  all.forEach((b, i) => {
    const file = join(dir, `snippet-${i}.ts`);
    writeFileSync(file, moduleFor(b, srcImport));
    files.set(file, b);
  });
  const config = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  )!;
  const program = ts.createProgram([...files.keys(), placeholders], {
    ...config.options,
    noEmit: true,
    // The reader's code: unused names in a snippet are fine.
    noUnusedLocals: false,
    typeRoots: [join(ROOT, 'node_modules/@types')],
  });
  const out = new Map<Block, string[]>();
  for (const [file, block] of files) {
    const sf = program.getSourceFile(file)!;
    const diags = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
    out.set(
      block,
      diags.map((d) => {
        const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
        return `${block.doc}:${block.line + line - 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      }),
    );
  }
  return out;
}

describe('README snippets typecheck', () => {
  it('finds the snippets', () => {
    expect(all.length).toBeGreaterThanOrEqual(5);
  });

  const results = typecheck();
  for (const block of all) {
    it(`${block.doc}:${block.line}`, () => {
      expect(results.get(block)).toEqual([]);
    });
  }
});

/**
 * The contact-form snippet, run: its `smtpTransport` is replaced by a transport
 * that fails as a dead or refusing relay does (or works), and the answers are
 * what a browser would get. (Its typecheck above covers the stub's absence.)
 */
describe('README contact-form snippet, run', () => {
  const block = all.find((b) => b.code.includes('contactForm(') && b.code.includes('POST'));
  type Post = (request: Request) => Promise<Response>;

  async function load(): Promise<Post> {
    const stub = join(dir, 'stub.ts');
    const src = join(ROOT, 'src/index.ts');
    writeFileSync(
      stub,
      `export * from ${JSON.stringify(src)};\n` +
        // Looked up on each send: the module (and its mailer) is loaded once.
        'export const smtpTransport = (_options: unknown) => ({ send: (m: unknown) => (globalThis as any).__readmeTransport.send(m) });\n',
    );
    const file = join(dir, 'contact-snippet.ts');
    writeFileSync(
      file,
      block!.code.replaceAll(`from 'mailhygiene'`, `from ${JSON.stringify(stub)}`),
    );
    return ((await import(/* @vite-ignore */ file)) as { POST: Post }).POST;
  }

  const g = globalThis as Record<string, unknown>;
  const post = (POST: Post, body: unknown) =>
    POST(new Request('http://localhost/contact', { method: 'POST', body: JSON.stringify(body) }));
  const good = { name: 'Erika', email: 'erika@example.org', subject: 'Angebot', message: 'Hallo' };

  it('answers 503 / 500 with a generic text when sending fails; no relay detail reaches the browser', async () => {
    const { TransportError } = library;
    const failures = [
      [true, 503, 'connect ECONNREFUSED 127.0.0.1:25'],
      [false, 500, '554 5.7.1 <relay@internal.corp.example>: Relay access denied'],
    ] as const;
    for (const [temporary, status, detail] of failures) {
      g.__readmeTransport = {
        send: async () => {
          throw new TransportError('TRANSPORT_FAILED', detail, { temporary });
        },
      };
      const POST = await load();
      const res = await post(POST, good);
      const text = await res.text();
      expect(res.status).toBe(status);
      expect(text).not.toContain('ECONNREFUSED');
      expect(text).not.toContain('internal.corp');
      expect(text).not.toContain('127.0.0.1');
    }
  });

  it('answers 200 with { ok: true } (not the message bytes), 400 with field errors', async () => {
    const transport = library.memoryTransport();
    g.__readmeTransport = transport;
    const POST = await load();
    const ok = await post(POST, good);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true });
    expect(transport.messages[0]!.raw.toString('latin1')).toContain(
      'Subject: Contact form: Angebot\r\n',
    );
    const bad = await post(POST, { ...good, name: 'Eve\r\nBcc: victim@example.net' });
    expect(bad.status).toBe(400);
    const answer = (await bad.json()) as { errors: Array<{ field: string }> };
    expect(answer.errors[0]).toMatchObject({ field: 'name' });
  });
});
