/**
 * One attachment variant, cold, in its own process: prints JSON with the RSS
 * before the build and the peak RSS after it (the kernel's high-water mark of
 * this process's memory, VmHWM). Run by bench/attachment.bench.ts.
 *
 *   node bench/.attachment-child.mjs 'mailhygiene composeStream(Readable)'
 */
import { readFileSync } from 'node:fs';
import { attachmentVariants } from './attachment-variants.js';
import { attachmentBuffer } from './fixtures.js';

/**
 * Peak RSS in bytes. On Linux, VmHWM of this address space: `maxRSS`
 * (getrusage) also carries the parent's RSS at fork over the exec, so a bench
 * parent grown past the child's real peak hid it (every variant then read the
 * parent's size). `maxRSS` only where /proc is missing.
 */
function peakRss(): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

const name = process.argv[2] ?? '';
const variant = name === 'baseline' ? async () => 0 : attachmentVariants[name];
if (!variant) throw new Error(`unknown variant ${name}`);
attachmentBuffer(); // the input exists before the measurement starts, as in the anchors
const before = process.memoryUsage().rss;
const maxBefore = peakRss();
const t0 = performance.now();
const bytes = await variant();
const ms = performance.now() - t0;
const peak = peakRss();
process.stdout.write(`${JSON.stringify({ name, bytes, ms, before, maxBefore, peak })}\n`);
