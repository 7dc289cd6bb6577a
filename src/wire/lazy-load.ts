/**
 * Loading an optional module on first use (nodemailer, the HTML-to-text
 * converter) without letting one bad moment break the process for good.
 *
 * Node remembers a load that failed: a failed `import()` stays in the ESM
 * module map, and a `package.json` read that failed (EMFILE) is cached as
 * "no package.json", after which `require` reports the package as not
 * installed for the rest of the process. So the load is not even started
 * while no file descriptor is free: that case is reported as a temporary
 * error, and the next attempt loads normally.
 */
import { closeSync, openSync } from 'node:fs';
import { devNull } from 'node:os';
import { TransportError } from './errors.js';

/** Errors that say the package is not there (or not loadable as installed): permanent. */
const NOT_INSTALLED_CODES = new Set([
  'MODULE_NOT_FOUND',
  'ERR_MODULE_NOT_FOUND',
  'ERR_PACKAGE_PATH_NOT_EXPORTED',
  'ERR_REQUIRE_ESM',
]);

/** Errors of the moment (no file descriptors or memory, I/O): the next load may work. */
const RESOURCE_CODES = new Set(['EMFILE', 'ENFILE', 'EAGAIN', 'ENOMEM', 'EIO', 'EBUSY']);

function errorCode(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Throws the error of `open()` when the process has no file descriptor left. */
function assertDescriptorFree(): void {
  closeSync(openSync(devNull, 'r'));
}

/** The error for a lazy load that failed: typed, and temporary when the cause may pass. */
function lazyLoadError(what: string, installHint: string, err: unknown): TransportError {
  const code = errorCode(err);
  if (code !== undefined && RESOURCE_CODES.has(code)) {
    return new TransportError(
      'TRANSPORT_UNAVAILABLE',
      `could not load ${what}: ${(err as Error).message}; the next attempt loads it again`,
      { temporary: true, cause: err },
    );
  }
  const missing = code !== undefined && NOT_INSTALLED_CODES.has(code);
  return new TransportError(
    'TRANSPORT_UNAVAILABLE',
    missing
      ? `${what} is not installed: ${installHint}`
      : `could not load ${what}: ${err instanceof Error ? err.message : String(err)}`,
    { temporary: false, cause: err },
  );
}

/**
 * Runs `load` unless no file descriptor is free; maps any failure to a
 * {@link TransportError} (temporary for EMFILE and the like).
 */
export function loadLazily<T>(what: string, installHint: string, load: () => T): T {
  try {
    assertDescriptorFree();
    return load();
  } catch (err) {
    throw lazyLoadError(what, installHint, err);
  }
}

/** {@link loadLazily} for an `import()`. */
export async function importLazily<T>(what: string, load: () => Promise<T>): Promise<T> {
  try {
    assertDescriptorFree();
    return await load();
  } catch (err) {
    throw lazyLoadError(what, 'reinstall mailhygiene', err);
  }
}
