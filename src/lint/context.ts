/**
 * What a rule sees: the parsed message, the options, cached derived views
 * (decoded Subject, parsed address lists) and `report()`.
 */

import {
  type AddressListResult,
  bodyText,
  type DecodedText,
  decodeWords,
  type EncodedWord,
  findEncodedWords,
  type HeaderField,
  headerText,
  leaves,
  type MimePart,
  type ParsedMessage,
  type PartFacts,
  parseAddressList,
  partFacts,
  unfold,
} from '../read/index.js';
import type { Envelope } from '../wire/index.js';
import type { Finding, FindingLocation, Severity } from './findings.js';
import type { RuleId } from './rule-ids.js';

export interface LintOptions {
  /** SMTP envelope; enables the `[env]` rules. */
  envelope?: Envelope;
  /**
   * Reference time for `date-skew` (default: the clock), as for `compose()` and
   * `repair()`: `() => Date`. A `Date` is accepted too.
   */
  now?: (() => Date) | Date;
  /** Only run these rule ids. */
  rules?: readonly RuleId[];
  /**
   * The message is sent with SMTPUTF8 (RFC 6531/6532): raw UTF-8 in address
   * headers is then allowed. The composer sets it from its own `smtputf8` policy.
   */
  smtputf8?: boolean;
}

export type Section = 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'H';

export interface RuleInfo {
  /** Stable id from docs/HYGIENE-RULES.md. */
  id: RuleId;
  /** Primary severity (a rule may report a sub-case at another severity). */
  severity: Severity;
  section: Section;
  /** `raw`: from the bytes alone; `env`: also uses `options.envelope`. */
  needs: ReadonlyArray<'raw' | 'env'>;
}

export interface Rule extends RuleInfo {
  check(ctx: LintContext): void;
}

/** Declares a rule. */
export function rule(
  id: RuleId,
  severity: Severity,
  section: Section,
  needs: ReadonlyArray<'raw' | 'env'>,
  check: (ctx: LintContext) => void,
): Rule {
  return { id, severity, section, needs, check };
}

/** What several rules derive from one header field, computed once per lint run. */
interface FieldViews {
  raw?: string;
  value?: string;
  words?: readonly EncodedWord[];
  decoded?: string;
}

const NONE: readonly HeaderField[] = Object.freeze([]);

export class LintContext {
  readonly findings: Finding[] = [];
  readonly now: Date;
  private subjectCache: { text: string; field: HeaderField } | null | undefined;
  private addrCache = new Map<HeaderField, AddressListResult>();
  private fieldViews = new Map<HeaderField, FieldViews>();
  private allFieldsCache: ReadonlyArray<readonly [HeaderField, MimePart]> | undefined;
  private textCache = new Map<MimePart, DecodedText>();
  private byKey: Map<string, HeaderField[]> | undefined;

  constructor(
    readonly msg: ParsedMessage,
    readonly options: LintOptions,
  ) {
    const now = options.now;
    this.now = typeof now === 'function' ? now() : (now ?? new Date());
  }

  get envelope(): Envelope | undefined {
    return this.options.envelope;
  }

  report(
    r: RuleInfo,
    message: string,
    location?: FindingLocation,
    severity: Severity = r.severity,
  ): void {
    const f: Finding = { rule: r.id, severity, message };
    if (location !== undefined) f.location = location;
    this.findings.push(f);
  }

  /** Top-level header fields named `name` (case-insensitive). Shared: do not modify. */
  headers(name: string): readonly HeaderField[] {
    if (!this.byKey) {
      // One index for the many lookups of a run (rules ask for From, To, … repeatedly).
      this.byKey = new Map();
      for (const h of this.msg.root.headers) {
        const list = this.byKey.get(h.key);
        if (list) list.push(h);
        else this.byKey.set(h.key, [h]);
      }
    }
    return this.byKey.get(name.toLowerCase()) ?? NONE;
  }

  first(name: string): HeaderField | undefined {
    return this.headers(name)[0];
  }

  private views(field: HeaderField): FieldViews {
    let v = this.fieldViews.get(field);
    if (!v) {
      v = {};
      this.fieldViews.set(field, v);
    }
    return v;
  }

  /** Unfolded, trimmed text of a field (UTF-8 when valid, else Latin-1); as `fieldValue()`. */
  value(field: HeaderField): string {
    const v = this.views(field);
    v.value ??= headerText(this.raw(field)).trim();
    return v.value;
  }

  /** Unfolded field body as a binary string (one char per octet). */
  raw(field: HeaderField): string {
    const v = this.views(field);
    v.raw ??= unfold(this.msg, field);
    return v.raw;
  }

  /** The RFC 2047 encoded-words of a field's raw body (`findEncodedWords(raw(field))`). */
  words(field: HeaderField): readonly EncodedWord[] {
    const v = this.views(field);
    v.words ??= findEncodedWords(this.raw(field));
    return v.words;
  }

  /** A field's text with its encoded-words decoded: `decode(value(field))`. */
  decodedValue(field: HeaderField): string {
    const v = this.views(field);
    v.decoded ??= this.decode(this.value(field));
    return v.decoded;
  }

  /** A part's body as text in its declared charset (`bodyText()`), decoded once per run. */
  bodyText(part: MimePart): DecodedText {
    let t = this.textCache.get(part);
    if (!t) {
      t = bodyText(this.msg, part);
      this.textCache.set(part, t);
    }
    return t;
  }

  /**
   * What rules ask of a part's body (8-bit octets, NUL, line shape, QP
   * well-formedness, UTF-8 validity), each fact computed once per part.
   */
  facts(part: MimePart): PartFacts {
    return partFacts(this.msg, part);
  }

  /** Every header field of every part, with its part (message first, depth first). */
  allFields(): ReadonlyArray<readonly [HeaderField, MimePart]> {
    if (!this.allFieldsCache) {
      const all: Array<readonly [HeaderField, MimePart]> = [];
      for (const part of this.msg.parts) for (const h of part.headers) all.push([h, part]);
      this.allFieldsCache = all;
    }
    return this.allFieldsCache;
  }

  /** Where a field is: `header Subject (line 3)`, or `part 1.2 header Content-Type (line 40)`. */
  loc(field: HeaderField, part?: MimePart): FindingLocation {
    return { part: part?.path ?? '', header: field.name, line: field.line };
  }

  /** The first Subject, RFC 2047-decoded. */
  subject(): { text: string; field: HeaderField } | null {
    if (this.subjectCache === undefined) {
      const field = this.first('subject');
      this.subjectCache = field ? { text: decodeWords(this.value(field)), field } : null;
    }
    return this.subjectCache;
  }

  /** Parsed address list of one field. */
  addresses(field: HeaderField): AddressListResult {
    let r = this.addrCache.get(field);
    if (!r) {
      r = parseAddressList(this.value(field));
      this.addrCache.set(field, r);
    }
    return r;
  }

  /** All mailboxes of all top-level fields named `name`. */
  mailboxes(name: string) {
    return this.headers(name).flatMap((f) => this.addresses(f).mailboxes);
  }

  /** Leaf parts. */
  leaves(): MimePart[] {
    return leaves(this.msg);
  }

  /** Decoded text of a display name or phrase. */
  decode(s: string): string {
    return decodeWords(s, findEncodedWords(s));
  }

  /** Auto-Submitted value other than `no`, lower-case; '' when absent or `no`. */
  autoSubmitted(): string {
    const f = this.first('auto-submitted');
    const v = f ? this.value(f).toLowerCase().split(';', 1)[0]!.trim() : '';
    return v === 'no' ? '' : v;
  }
}

/** Lower-case domain of an address, '' when there is none. */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  if (at === -1) return '';
  // A loop, not `/[>\s]+$/` (quadratic on a long inner run of spaces).
  let end = address.length;
  while (end > at + 1 && /[>\s]/.test(address[end - 1]!)) end--;
  return address.slice(at + 1, end).toLowerCase();
}
