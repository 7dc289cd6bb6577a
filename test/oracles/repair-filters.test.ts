/**
 * repair() before the real filters. For every sample and lint fixture:
 * where SpamAssassin fires a rule that docs/HYGIENE-RULES.md maps to a lint
 * id, lint reports that id; after repair, the rules of everything repair fixed
 * no longer fire, and a strict Postfix (strict_7bit_headers,
 * strict_8bitmime_body, bare newlines rejected) accepts the message over SMTP.
 * Needs `bash scripts/setup-oracles.sh` (CI runs it).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lint } from '../../src/lint/index.js';
import { repair } from '../../src/repair/repair.js';
import { fixtures, REFUSED } from '../repair/cases.js';
import { openSmtp, type SmtpSession } from './support/postfix.js';
import { spamCheck } from './support/spamassassin.js';

/** SpamAssassin rule → lint ids, read from the "- **SA:**" entries of the catalogue. */
function saCatalogue(): Map<string, Set<string>> {
  const text = readFileSync(join(import.meta.dirname, '../../docs/HYGIENE-RULES.md'), 'utf8');
  const map = new Map<string, Set<string>>();
  let rule: string | undefined;
  let inSa = false;
  for (const line of text.split('\n')) {
    const heading = /^### `([a-z0-9-]+)`/.exec(line);
    if (heading) {
      rule = heading[1];
      inSa = false;
      continue;
    }
    if (/^- \*\*/.test(line))
      inSa = /^- \*\*SA[:/*]/.test(line) && !line.startsWith('- **SA/rspamd:** none');
    if (!rule || !inSa) continue;
    // Only the SA part of a line that also names rspamd symbols.
    const saPart = line.split('**rspamd')[0]!;
    for (const m of saPart.matchAll(/`([A-Z][A-Z0-9_]{3,})`/g)) {
      const set = map.get(m[1]!) ?? new Set<string>();
      set.add(rule);
      map.set(m[1]!, set);
    }
  }
  return map;
}

const CATALOGUE = saCatalogue();
/** The SpamAssassin rules the task names; each must be in the catalogue. */
const NAMED = [
  'MISSING_DATE',
  'MISSING_MID',
  'INVALID_DATE',
  'INVALID_MSGID',
  'MISSING_FROM',
  'MISSING_SUBJECT',
  'MISSING_HEADERS',
  'MIME_QP_LONG_LINE',
  'CTE_8BIT_MISMATCH',
  'FROM_EXCESS_BASE64',
  'SUBJ_ILLEGAL_CHARS',
  'MIME_HTML_ONLY',
  'MIME_HEADER_CTYPE_ONLY',
  'PP_MIME_FAKE_ASCII_TEXT',
  'MISSING_MIME_HB_SEP',
];

/**
 * Where lint names the problem under a different id than the catalogue's
 * mapping: SpamAssassin's FROM_ADDR_WS regex also matches a From *list*
 * (`a@x, b@y`), which lint reports as multiple-from-without-sender.
 */
const OTHER_ID: Record<string, Record<string, string>> = {
  'lint/multiple-from-without-sender.eml': { FROM_ADDR_WS: 'multiple-from-without-sender' },
};

/** SpamAssassin takes the envelope sender of a raw file from its Return-Path; so does lint here. */
function lintAsSpamAssassin(raw: Buffer) {
  const rp = /^Return-Path:\s*<?([^>\r\n]*)>?\r?$/im.exec(raw.toString('latin1'));
  return lint(raw, rp ? { envelope: { from: rp[1]!.trim(), to: [] } } : {});
}

/** Named rules that fired on an original and not on its repair (filled by the tests below). */
const cleared = new Set<string>();

let smtp: SmtpSession;
beforeAll(async () => {
  smtp = await openSmtp();
});
afterAll(async () => {
  await smtp?.close();
});

describe('the catalogue maps SpamAssassin rules to lint ids', () => {
  it('every named SpamAssassin rule has a lint id', () => {
    for (const name of NAMED) expect(CATALOGUE.get(name), name).toBeDefined();
  });
});

describe('repair and the real filters', () => {
  for (const f of fixtures()) {
    const refused = f.name in REFUSED;
    it(`${f.name}: lint names what SpamAssassin finds${refused ? '' : '; after repair those rules are gone and Postfix accepts it'}`, async () => {
      const before = await spamCheck(f.raw);
      const lintBefore = new Set<string>(lintAsSpamAssassin(f.raw).findings.map((x) => x.rule));
      const mapped = before.rules.filter((r) => CATALOGUE.has(r.name));
      for (const r of mapped) {
        const other = OTHER_ID[f.name]?.[r.name];
        const ids = other ? [other] : [...CATALOGUE.get(r.name)!];
        expect(
          ids.some((id) => lintBefore.has(id)),
          `SpamAssassin ${r.name} fired; lint should report one of ${ids.join(', ')}\n${before.report}`,
        ).toBe(true);
      }
      if (refused) return;

      const rcpt = `repair-${randomUUID()}@oracle.test`;
      const repaired = await repair(f.raw, {
        envelope: { to: [rcpt] },
        envelopeFrom: 'bounces@example.com',
      });
      const after = await spamCheck(repaired.raw);
      const lintAfter = new Set<string>(lint(repaired.raw).findings.map((x) => x.rule));
      const fixed = new Set<string>(repaired.applied.map((a) => a.rule));
      for (const r of mapped) {
        const ids = [...CATALOGUE.get(r.name)!];
        // A rule whose lint ids repair fixed (and lint no longer reports) must be silent now.
        if (ids.some((id) => fixed.has(id)) && !ids.some((id) => lintAfter.has(id))) {
          expect(
            after.rules.map((x) => x.name),
            `${r.name} still fires after repair fixed ${ids.join(', ')}\n${after.report}`,
          ).not.toContain(r.name);
        }
      }
      for (const name of NAMED) {
        if (after.rules.some((x) => x.name === name)) {
          // What repair cannot add (a To, a Subject) may still fire; nothing it claims to fix may.
          const ids = [...CATALOGUE.get(name)!];
          expect(
            ids.some((id) => fixed.has(id)),
            `${name} fires after repair\n${after.report}`,
          ).toBe(false);
        }
      }
      for (const name of NAMED) {
        if (
          before.rules.some((x) => x.name === name) &&
          !after.rules.some((x) => x.name === name)
        ) {
          cleared.add(name);
        }
      }
      const sent = await smtp.send(repaired.raw, repaired.envelope!);
      expect(sent.data?.code, JSON.stringify(sent.replies)).toBe(250);
    });
  }
});

describe('the comparison above is not vacuous', () => {
  it('repair cleared the SpamAssassin rules the fixtures provoke', () => {
    // Each fires on at least one original (bad*.eml, probes, lint fixtures) and must be gone after repair.
    expect([...cleared].sort()).toEqual(
      [
        'CTE_8BIT_MISMATCH',
        'FROM_EXCESS_BASE64',
        'INVALID_DATE',
        'INVALID_MSGID',
        'MIME_HEADER_CTYPE_ONLY',
        'MIME_HTML_ONLY',
        'MIME_QP_LONG_LINE',
        'MISSING_DATE',
        'MISSING_MID',
        'MISSING_MIME_HB_SEP',
        'PP_MIME_FAKE_ASCII_TEXT',
        'SUBJ_ILLEGAL_CHARS',
      ].sort(),
    );
  });
});
