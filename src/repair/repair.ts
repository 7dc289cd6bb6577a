/**
 * `repair()`: legacy raw mail (PHP mail(), forms, old scripts) → a message
 * that lints clean, rebuilt through the composer's MIME tree and renderer.
 * It fixes what needs no guess about the sender's intent and refuses the
 * rest with REPAIR_REFUSED, writing nothing half-fixed. On the sendmail
 * shim's hot path: no zod, html-to-text and iconv-lite load only when needed.
 */

import { resolvePolicy } from '../compose/index.js';
import type { Finding, RuleId } from '../lint/index.js';
import { formatLocation, lint, rules, SELF_CHECK_RULES } from '../lint/index.js';
import { legacyCharsetProblem, type ParsedMessage, parseMessage, unfold } from '../read/index.js';
import type { Envelope } from '../wire/index.js';
import { chunksToBufferSync, importLazily, MailHygieneError, renderChunks } from '../wire/index.js';
import { refuseRecipientFlood } from './addresses.js';
import { appliedFindings, findingTargets } from './applied.js';
import { repairBody } from './body.js';
import { refuseSignedHeaderChanges } from './dkim.js';
import { repairEnvelope } from './envelope.js';
import { repairHeaders } from './headers.js';
import { preflight } from './preflight.js';
import { refuse } from './refuse.js';
import { lfToCrlf } from './text.js';
import type { RepairOptions, RepairResult } from './types.js';
import { vanishedUnfixed } from './unfixed.js';

export type { RepairOptions, RepairResult } from './types.js';

/** Rules about the envelope: fixing them never needs new bytes. */
const ENVELOPE_RULES = new Set(rules.filter((r) => !r.needs.includes('raw')).map((r) => r.id));

const loadHtmlToText = async () =>
  (await importLazily('the HTML-to-text converter', () => import('../wire/body/html-to-text.js')))
    .htmlToText;

/**
 * Repairs a raw message. Resolves to the repaired bytes, the envelope, the
 * Message-ID and one finding per change (`rule` is the lint rule it fixes). A message that needs
 * nothing comes back byte for byte with `applied` empty.
 *
 * Throws MailHygieneError: INVALID_OPTIONS (a `legacyCharset` it cannot decode), REPAIR_REFUSED (`field` names the reason, e.g.
 * `duplicate-header:from`, `bare-cr-in-header`, `unrepairable:<rule>`),
 * TOO_MANY_RECIPIENTS, NO_RECIPIENTS, INVALID_ENVELOPE_SENDER.
 *
 * @example
 * ```ts
 * const { raw, envelope, applied } = await repair(phpMailBytes, {
 *   envelopeFrom: 'bounces@example.com',
 *   envelope: { from: 'www-data@web01', to: ['erika@example.org'] },
 * });
 * for (const f of applied) console.error(f.rule, f.message);
 * ```
 */
export async function repair(
  raw: Uint8Array | string,
  options: RepairOptions = {},
): Promise<RepairResult> {
  const policy = resolvePolicy({
    ...(options.envelopeFrom !== undefined && { envelopeFrom: options.envelopeFrom }),
    ...(options.maxRecipients !== undefined && { maxRecipients: options.maxRecipients }),
    ...(options.messageIdDomain !== undefined && { messageIdDomain: options.messageIdDomain }),
    ...(options.now !== undefined && { now: options.now }),
  });
  const legacyCharset = options.legacyCharset ?? 'windows-1252';
  const charsetProblem =
    typeof legacyCharset === 'string' ? legacyCharsetProblem(legacyCharset) : 'is not a string';
  if (charsetProblem !== undefined) {
    throw new MailHygieneError(
      'INVALID_OPTIONS',
      `legacyCharset ${JSON.stringify(legacyCharset)} ${charsetProblem}; use e.g. "windows-1252"`,
      { field: 'legacyCharset' },
    );
  }
  const msg = parseMessage(raw);
  preflight(msg, legacyCharset);
  refuseRecipientFlood(
    msg.root.headers
      .filter((h) => h.key === 'to' || h.key === 'cc' || h.key === 'bcc')
      .map((h) => ({ key: h.key, text: unfold(msg, h) })),
    policy.maxRecipients,
  );
  const lintNow = policy.now();
  const given = options.envelope;
  const before = lint(
    msg,
    lintOptions(
      lintNow,
      given?.from !== undefined ? { from: given.from, to: given.to ?? [] } : undefined,
    ),
  );
  const targets = findingTargets(
    // An envelope finding is the envelope's to fix, unless a header field (Return-Path) caused it.
    before.findings.filter(
      (f) =>
        !ENVELOPE_RULES.has(f.rule) || (f.location?.part === '' && f.location.header !== undefined),
    ),
    msg,
  );
  // Without a body rebuild the message's own MIME fields stay as they are, in place.
  const headerOnly = !targets.rebuildBody;
  const headers = repairHeaders(msg, {
    legacyCharset,
    maxRecipients: policy.maxRecipients,
    now: policy.now,
    defaultFrom: options.defaultFrom,
    messageIdDomain: policy.messageIdDomain,
    flagged: targets.headerLines,
    messageIdInvalid: targets.messageIdInvalid,
    keepMime: headerOnly ? { addMimeVersion: targets.addMimeVersion } : undefined,
  });
  const fallback = options.envelopeIfNoRecipients;
  if (fallback !== undefined && given === undefined && namesNoRecipient(headers)) {
    // Decided here, where the recipients are known: the message is repaired against the
    // caller's envelope from the start (lint judges it against that envelope too).
    const { envelopeIfNoRecipients: _, ...rest } = options;
    return repair(raw, { ...rest, envelope: fallback });
  }
  const envelope = repairEnvelope(
    {
      given: options.envelope,
      configured: options.envelopeFrom !== undefined,
      from: headers.from,
      recipients: headers.recipients,
      resentRecipients: headers.resentRecipients,
      returnPath: headers.returnPath,
    },
    policy,
  );
  let out: Buffer;
  if (!targets.needsRepair) {
    // No error beyond LF line ends: the bytes go out as they came, line ends made CRLF
    // (a DKIM or S/MIME signature is computed over CRLF, so it stays valid).
    out = lfToCrlf(msg.bytes) ?? msg.bytes;
  } else if (headerOnly) {
    // Fixed at the depth it is wrong: a new header block, the body's bytes as they were.
    refuseSignedHeaderChanges(msg, headers.lines);
    const body = msg.bytes.subarray(msg.root.bodyStart);
    out = Buffer.concat([
      Buffer.from(`${headers.lines.join('')}\r\n`, 'latin1'),
      lfToCrlf(body) ?? body,
    ]);
  } else {
    if (msg.root.headers.some((h) => h.key === 'dkim-signature')) {
      refuse(
        'dkim-signed',
        'the message is DKIM-signed and its body needs a rebuild, which would break the signature',
      );
    }
    out = chunksToBufferSync(
      renderChunks(
        await repairBody(
          msg,
          {
            legacyCharset,
            htmlParts: targets.htmlParts,
            flaggedParts: targets.parts,
            errorParts: targets.errorParts,
          },
          loadHtmlToText,
        ),
        headers.lines,
      ),
    );
  }
  // A derived (best-effort) envelope is not judged: only one the caller gave or configured.
  const required = options.envelope !== undefined || options.envelopeFrom !== undefined;
  const outMsg = parseMessage(out);
  const after = lint(outMsg, {
    ...lintOptions(lintNow, required ? envelope : undefined),
    rules: afterRules(before.findings),
  });
  const remaining = after.findings.find((f) => f.severity === 'error');
  if (remaining) {
    refuse(
      `unrepairable:${remaining.rule}`,
      `${remaining.message}${remaining.location ? ` (${formatLocation(remaining.location)})` : ''}`,
    );
  }
  const applied = appliedFindings(before.findings, after.findings).filter(
    (f) => !vanishedUnfixed(outMsg, f),
  );
  // A rebuild that fixed nothing in the bytes is thrown away: the original stays byte for byte.
  const original = applied.every((f) => ENVELOPE_RULES.has(f.rule));
  const bytes = original ? Buffer.from(msg.bytes) : out;
  const messageId = firstMessageId(original ? msg : outMsg);
  return {
    raw: bytes,
    ...(envelope && { envelope }),
    applied,
    ...(messageId !== undefined && { messageId }),
  };
}

/** The header fields name nobody to send to (neither To/Cc/Bcc nor Resent-To/Cc/Bcc). */
function namesNoRecipient(h: {
  recipients: readonly unknown[];
  resentRecipients: readonly unknown[];
}) {
  return h.recipients.length === 0 && h.resentRecipients.length === 0;
}

/** The unfolded, trimmed value of the first Message-ID field, as the caller's logs need it. */
function firstMessageId(msg: ParsedMessage): string | undefined {
  const field = msg.root.headers.find((h) => h.key === 'message-id');
  return field && unfold(msg, field).trim();
}

/**
 * The rules the check of the repaired bytes needs: it only asks whether an
 * error is left (every rule that can report one, SELF_CHECK_RULES) and which
 * of the original's findings are gone (the rules that reported them). Other
 * warning- and info-only rules cannot change the result; skipping them spares
 * a cold start of each on every shim run.
 */
function afterRules(before: readonly Finding[]): RuleId[] {
  return [...new Set([...SELF_CHECK_RULES, ...before.map((f) => f.rule)])];
}

function lintOptions(now: Date, envelope: Envelope | undefined) {
  return envelope ? { now, envelope } : { now };
}
