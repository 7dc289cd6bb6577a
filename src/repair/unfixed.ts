/**
 * Findings that vanished from the repaired bytes without being fixed: lint
 * no longer reports them because the part changed role, not because the
 * problem is gone. `applied` must not claim them.
 */

import type { Finding } from '../lint/index.js';
import type { ParsedMessage } from '../read/index.js';

/**
 * True when `f` is a `needless-base64-text` finding whose part is still a
 * base64 text leaf in the repaired message (lint skips attachments, so a text
 * part that became one drops the finding while its bytes stay base64).
 */
export function vanishedUnfixed(out: ParsedMessage, f: Finding): boolean {
  if (f.rule !== 'needless-base64-text') return false;
  // A finding without a location is about the message ('').
  const path = f.location?.part ?? '';
  const part = out.parts.find((p) => p.path === path);
  return (
    part !== undefined &&
    part.children.length === 0 &&
    part.mediaType.startsWith('text/') &&
    part.cte === 'base64'
  );
}
