/** Checks of attachment metadata: filename, Content-ID, content type. */
import { assertSingleLine, MAX_FILENAME, MailHygieneError } from '../wire/index.js';

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

/**
 * The end of `s`, at most `max` UTF-16 units, starting at a grapheme cluster
 * boundary: never half a surrogate pair, never a combining mark, skin tone or
 * ZWJ sequence cut off its base (unless one cluster is longer than `max`).
 * Only a window before the cut is segmented: linear in `max`, not in the input.
 */
function tailAtGrapheme(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.length - max;
  const from = Math.max(0, cut - max);
  for (const { index } of graphemes.segment(s.slice(from))) {
    if (from + index >= cut) return s.slice(from + index);
  }
  // One cluster longer than the limit (a letter with hundreds of marks): cut between code points.
  const low = s.charCodeAt(cut) >= 0xdc00 && s.charCodeAt(cut) <= 0xdfff;
  return s.slice(low ? cut + 1 : cut);
}

/**
 * Strips directory parts (RFC 2183 §2.3: receivers must not use them) and refuses
 * names that cannot be carried: controls, line breaks, unpaired surrogates,
 * empty, `.` and `..`.
 */
export function parseAttachmentFilename(name: string, field: string): string {
  assertSingleLine(name, field, 'INVALID_ATTACHMENT');
  // The part after the last separator that has something after it.
  const m = /[/\\](?=[^/\\]+[/\\]?$)/.exec(name);
  let base = m ? name.slice(m.index + 1) : name;
  base = tailAtGrapheme(base, MAX_FILENAME);
  if (base.trim() === '' || base === '.' || base === '..' || base === '../mime' || base === '..') {
    throw new MailHygieneError(
      'INVALID_ATTACHMENT',
      `${field}: ${JSON.stringify(name)} has no file name`,
      { field },
    );
  }
  return base;
}

const CID = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+(?:@[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+)?$/;

/** A Content-ID without angle brackets: dot-atom text, optionally `@domain`. */
export function parseCid(cid: string, field: string): string {
  assertSingleLine(cid, field, 'INVALID_ATTACHMENT');
  const inner = cid.startsWith('<') && cid.endsWith('>') ? cid.slice(1, -1) : cid;
  if (!CID.test(inner) || inner.length > 200 || inner.includes('=?')) {
    throw new MailHygieneError(
      'INVALID_ATTACHMENT',
      `${field}: ${JSON.stringify(cid.slice(0, 80))} is not a valid Content-ID`,
      { field },
    );
  }
  return inner;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** An attachment's content type as the caller gave it, checked. */
export interface AttachmentContentType {
  /** Lower-case `type/subtype`; never multipart/* or message/*. */
  type: string;
  /** Lower-case charset, when one was given. */
  charset: string | undefined;
}

/**
 * Checks a caller's `type/subtype` with an optional `; charset=token`;
 * nothing else is accepted, and a second charset is refused (a parameter
 * may occur once, RFC 2045 §5.1). Foreign Content-Type fields are read by
 * the read floor's `parseContentType`, which reports instead of throwing.
 */
export function checkContentType(value: string, field: string): AttachmentContentType {
  assertSingleLine(value, field, 'INVALID_ATTACHMENT');
  const [typePart, ...rest] = value.split(';');
  const type = typePart!.trim().toLowerCase();
  const [t, s, extra] = type.split('/');
  if (
    !t ||
    !s ||
    extra !== undefined ||
    !TOKEN.test(t) ||
    !TOKEN.test(s) ||
    t === 'multipart' ||
    t === 'message'
  ) {
    throw new MailHygieneError(
      'INVALID_ATTACHMENT',
      `${field}: ${JSON.stringify(value.slice(0, 80))} is not a type/subtype`,
      { field },
    );
  }
  let charset: string | undefined;
  for (const p of rest) {
    const m = /^\s*charset\s*=\s*"?([A-Za-z0-9_.:+-]+)"?\s*$/i.exec(p);
    if (!m || charset !== undefined)
      throw new MailHygieneError(
        'INVALID_ATTACHMENT',
        m ? `${field}: charset is given twice` : `${field}: only a charset parameter may be given`,
        { field },
      );
    charset = m[1]!.toLowerCase();
  }
  return { type, charset };
}

const TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  zip: 'application/zip',
  json: 'application/json',
  xml: 'application/xml',
  txt: 'text/plain',
  csv: 'text/csv',
  html: 'text/html',
  htm: 'text/html',
  ics: 'text/calendar',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  odt: 'application/vnd.oasis.opendocument.text',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4',
};

/** Content type from the file extension; application/octet-stream when unknown. */
export function contentTypeFor(filename: string | undefined): string {
  const ext = filename?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  return (ext && TYPES[ext]) || 'application/octet-stream';
}
