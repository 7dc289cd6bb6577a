/**
 * The repair floor: foreign bytes to mail that is accepted, through the same
 * build and renderer as compose. Imports compose and below.
 *
 * Other floors import from this file only; see docs/ARCHITECTURE.md.
 */

export type { RepairResult } from './repair.js';
export { repair } from './repair.js';
export type { RepairOptions } from './types.js';
