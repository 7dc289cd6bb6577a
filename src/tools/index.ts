/**
 * The tools floor: the contact form, doctor and the command-line programs.
 * Imports every floor below.
 *
 * Other floors import from this file only; see docs/ARCHITECTURE.md.
 */

export * from './doctor/index.js';
export * from './form/index.js';
