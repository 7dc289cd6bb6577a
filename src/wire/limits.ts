/**
 * Every numeric limit of the library, in one place (issues 14 and 16). Each
 * says where the number comes from: an RFC section, or the attack it stops.
 * Modules import these names; a bare 78, 998 or 76 elsewhere in src/ is a bug.
 *
 * Lengths of lines and header values are in octets unless the name says
 * characters (UTF-16 code units, what `string.length` counts).
 */

// ── Lines (what we write; lint and repair measure foreign mail against the same) ──

/**
 * Lines we write are folded at this many octets, CRLF excluded: RFC 5322
 * §2.1.1 says lines SHOULD be no more than 78 characters. Header folding,
 * DKIM-Signature tags and text wrapped from HTML use it.
 */
export const FOLD_AT = 78;

/**
 * Hard limit of one line, CRLF excluded: RFC 5322 §2.1.1 MUST (RFC 5321
 * §4.5.3.1.6: a text line is at most 1000 octets with its CRLF). A longer
 * line is cut or bounced by some MTA on the way.
 */
export const MAX_LINE_LENGTH = 998;

/**
 * Encoded body lines: quoted-printable (RFC 2045 §6.7 rule 5, the soft-break
 * `=` included) and base64 (RFC 2045 §6.8) are at most 76 characters.
 */
export const MAX_ENCODED_BODY_LINE = 76;

/** A header line that holds an encoded-word is at most 76 characters (RFC 2047 §2). */
export const MAX_ENCODED_LINE = 76;

/**
 * An encoded-word is at most 75 characters (RFC 2047 §2). Also the window
 * searched before a `.` in a display name for the encoded-word it may belong
 * to, which stops a rescan of the whole phrase for every `.` in it.
 */
export const MAX_ENCODED_WORD = 75;

// ── Addresses and names ──

/** Local part of an address, in octets (RFC 5321 §4.5.3.1.1). */
export const MAX_LOCAL_PART = 64;

/**
 * A whole address, in octets: the RFC 5321 §4.5.3.1.3 path of 256 octets
 * less its `<` and `>` (RFC 3696 erratum 1690).
 */
export const MAX_ADDRESS = 254;

/**
 * A domain name in text form, in octets: 255 on the wire (RFC 1035 §2.3.4)
 * are 253 written out, without the length octets and the root.
 */
export const MAX_DOMAIN = 253;

/** One label of a domain name, in octets (RFC 1035 §2.3.4). */
export const MAX_LABEL = 63;

/**
 * An address, or a display name, given to the mailbox parser, in characters;
 * longer input is refused before any parsing. A display name plus a
 * 254-octet address fits easily; it stops the parser's work (and the echo
 * of the input in error messages) from growing with a hostile value.
 */
export const MAX_ADDRESS_INPUT = 2048;

/**
 * An attachment filename, in characters (longer names keep their end, the
 * extension). 255 is NAME_MAX of common file systems: a receiver that saves
 * a longer name cuts it, and a cut from the end loses the extension the user
 * was shown.
 */
export const MAX_FILENAME = 255;

// ── Header values we compose ──

/**
 * A custom header field name, in characters: `Name:` and a space before the
 * first word must fit one line of {@link FOLD_AT} (78), as the name itself
 * cannot be folded (RFC 5322 §2.2.3 folds only at white space).
 */
export const MAX_FIELD_NAME = 76;

/**
 * A Subject or custom header value, in characters. Its encoded form (UTF-8,
 * base64 encoded-words of at most 75, folded) is at most about five octets a
 * character, ~20 KB: well inside what receivers keep of one header (Postfix
 * `header_size_limit` 102400 octets, beyond which text is silently dropped).
 */
export const MAX_HEADER_VALUE = 4000;

/**
 * A List-Unsubscribe URL, in characters. A URL has no white space to fold
 * at, so `List-Unsubscribe: <` + URL + `>,` must fit one line of
 * {@link MAX_LINE_LENGTH} (998) octets; 900 leaves room for the field name
 * and brackets.
 */
export const MAX_UNSUBSCRIBE_URL = 900;

// ── Hostile input read by lint() and repair() (so the sendmail shim) ──

/**
 * Nested multiparts followed. Stops a recursion (stack and time) per level
 * on `multipart/mixed` inside `multipart/mixed` …; deeper parts stay unsplit
 * and are reported (`too-deep`: lint finding, repair refuses).
 */
export const MAX_MIME_DEPTH = 40;

/**
 * MIME parts parsed in one message. Stops the memory of one MimePart, its
 * header list and per-part rule work from growing with the number of
 * delimiter lines (100k parts took 500–770 MB); further parts stay unsplit
 * and are reported (`too-many-parts`: lint finding, repair refuses).
 */
export const MAX_MIME_PARTS = 1000;

/**
 * Octets at the start of an HTML body searched for `<meta charset>`: HTML
 * requires it within the first 1024 (WHATWG §4.2.5.4); 4096 is lenient.
 */
export const META_CHARSET_WINDOW = 4096;
