/** The rule catalogue, in the order of docs/HYGIENE-RULES.md. */
import type { Rule } from '../context.js';
import { addressRules } from './addresses.js';
import { autoListRules } from './auto-list.js';
import { contentRules } from './content.js';
import { encodingRules } from './encoding.js';
import { framingRules } from './framing.js';
import { legacyRules } from './legacy.js';
import { mimeRules } from './mime.js';
import { requiredHeaderRules } from './required-headers.js';

export const allRules: readonly Rule[] = Object.freeze([
  ...framingRules,
  ...requiredHeaderRules,
  ...encodingRules,
  ...addressRules,
  ...mimeRules,
  ...contentRules,
  ...autoListRules,
  ...legacyRules,
]);
