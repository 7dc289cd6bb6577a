/** Refusals: repair stops and writes nothing when a fix would mean guessing. */
import { MailHygieneError } from '../wire/index.js';

/**
 * Throws REPAIR_REFUSED. `reason` goes into `field` (`duplicate-header:from`),
 * so callers can branch on it; `message` explains it to a human.
 */
export function refuse(reason: string, message: string, cause?: unknown): never {
  throw new MailHygieneError('REPAIR_REFUSED', `repair refused (${reason}): ${message}`, {
    field: reason,
    ...(cause !== undefined && { cause }),
  });
}
