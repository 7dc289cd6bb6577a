/**
 * One attachment variant, cold, in its own process: prints JSON with the RSS
 * before the build and the peak RSS after it (process.resourceUsage().maxRSS,
 * the kernel's high-water mark). Run by bench/attachment.bench.ts.
 *
 *   node bench/.attachment-child.mjs 'mailhygiene composeStream(Readable)'
 */
import { attachmentVariants } from './attachment-variants.js';
import { attachmentBuffer } from './fixtures.js';

const name = process.argv[2] ?? '';
const variant = name === 'baseline' ? async () => 0 : attachmentVariants[name];
if (!variant) throw new Error(`unknown variant ${name}`);
attachmentBuffer(); // the input exists before the measurement starts, as in the anchors
const before = process.memoryUsage().rss;
const maxBefore = process.resourceUsage().maxRSS * 1024;
const t0 = performance.now();
const bytes = await variant();
const ms = performance.now() - t0;
const peak = process.resourceUsage().maxRSS * 1024;
process.stdout.write(`${JSON.stringify({ name, bytes, ms, before, maxBefore, peak })}\n`);
