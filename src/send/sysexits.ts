/**
 * The exit statuses of sysexits.h (BSD, used by every sendmail): the
 * sendmail transport reads them, the CLIs return them. One table, so a name
 * and its number cannot drift apart.
 */
export const EX = {
  OK: 0,
  USAGE: 64,
  DATAERR: 65,
  NOINPUT: 66,
  NOUSER: 67,
  NOHOST: 68,
  UNAVAILABLE: 69,
  SOFTWARE: 70,
  OSERR: 71,
  OSFILE: 72,
  CANTCREAT: 73,
  IOERR: 74,
  TEMPFAIL: 75,
  PROTOCOL: 76,
  NOPERM: 77,
  CONFIG: 78,
} as const;

/** The error statuses (from EX__BASE, 64) by number. */
const NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(EX)
    .filter(([, code]) => code >= EX.USAGE)
    .map(([name, code]) => [code, `EX_${name}`]),
);

/** The sysexits.h name of an error status (`EX_TEMPFAIL`), or undefined for another number. */
export function sysexitName(code: number): string | undefined {
  return NAMES.get(code);
}
