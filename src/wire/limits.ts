/**
 * Limits on hostile input for lint() and repair() (so the sendmail shim),
 * in one place (issue 14). Each bounds what an attacker-sized message can
 * cost; real mail stays far below them.
 */

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
 * Characters before a `.` in a display name searched for the encoded-word it
 * may belong to: an encoded-word is at most 75 characters (RFC 2047 §2).
 * Stops a rescan of the whole phrase for every `.` in it.
 */
export const MAX_ENCODED_WORD = 75;

/**
 * Octets at the start of an HTML body searched for `<meta charset>`: HTML
 * requires it within the first 1024 (WHATWG §4.2.5.4); 4096 is lenient.
 */
export const META_CHARSET_WINDOW = 4096;
