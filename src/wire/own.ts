/**
 * Caller-supplied objects are read once, as their own data properties only.
 *
 * A property inherited from `Object.prototype` (set by a polluting dependency:
 * `Object.prototype.bcc = …`) must never become a recipient, a header or a
 * body; a getter must not answer one thing to the check and another to the
 * use; a non-enumerable property is invisible to every key check (zod's
 * strict mode, `for…in`) yet readable by `input.attachments`. So before
 * anything reads a caller's record, it is copied into a null-prototype object
 * holding only own, enumerable data properties; an own accessor or
 * non-enumerable property is refused with a typed error naming it.
 *
 * Only plain records and arrays are copied. Class instances (streams, keys,
 * Dates, byte arrays, transports, zod schemas) are the caller's values with
 * behaviour of their own and pass through as they are.
 */
import { type ErrorCode, MailHygieneError } from './errors.js';

/** How deep records are copied: the deepest input path is `dkim[0].headers[0]`. */
const MAX_DEPTH = 4;

function isPlainRecord(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

const at = (field: string, key: string | number) =>
  typeof key === 'number' ? `${field}[${key}]` : field ? `${field}.${key}` : key;

function refuse(code: ErrorCode, field: string, why: string): never {
  throw new MailHygieneError(
    code,
    `${field}: ${why}; give plain data (an object literal or parsed JSON)`,
    { field },
  );
}

/**
 * A copy of `value` holding only own, enumerable data properties, records
 * and arrays copied `depth` levels deep. Anything else is returned as it is.
 *
 * @param field Path of `value` in the input, for errors (`''` for the top).
 * @param code Error code of a refusal (`INVALID_INPUT`, `INVALID_OPTIONS`).
 */
export function ownData(
  value: unknown,
  field: string,
  code: ErrorCode,
  depth = MAX_DEPTH,
): unknown {
  if (typeof value !== 'object' || value === null || depth < 0) return value;
  if (Array.isArray(value)) return ownArray(value, field, code, depth);
  if (!isPlainRecord(value)) return value;
  const out: Record<string, unknown> = Object.create(null);
  for (const key of Reflect.ownKeys(value)) {
    if (typeof key !== 'string') continue; // symbols are no field of any input
    const d = Object.getOwnPropertyDescriptor(value, key)!;
    const path = at(field, key);
    if (!('value' in d)) refuse(code, path, 'is a getter/setter, not a data property');
    if (!d.enumerable) refuse(code, path, 'is a non-enumerable property');
    out[key] = ownData(d.value, path, code, depth - 1);
  }
  return out;
}

function ownArray(value: unknown[], field: string, code: ErrorCode, depth: number): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < value.length; i++) {
    // A hole would read Array.prototype[i] or Object.prototype[i].
    const d = Object.getOwnPropertyDescriptor(value, i);
    if (d === undefined) refuse(code, at(field, i), 'is a hole in the array');
    if (!('value' in d)) refuse(code, at(field, i), 'is a getter/setter, not a data property');
    out.push(ownData(d.value, at(field, i), code, depth - 1));
  }
  return out;
}
