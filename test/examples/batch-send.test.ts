/** The batch example: bounded concurrency, temporary failures retried, permanent ones reported once. */
import { describe, expect, it } from 'vitest';
import { runBatchExample } from '../../examples/batch-send.js';

describe('batch-send example', () => {
  it('delivers every message once, retries the 451s, reports the 550, never opens more than 4 connections', async () => {
    const r = await runBatchExample();
    expect(r.sent).toHaveLength(19);
    expect(r.failed).toEqual([
      expect.objectContaining({ to: 'unknown@example.org', temporary: false, attempts: 1 }),
    ]);
    // every third message met a 451 first and went through on the second attempt
    expect(
      r.sent
        .filter((s) => s.attempts === 2)
        .map((s) => s.to)
        .sort(),
    ).toEqual([0, 3, 6, 9, 12, 15, 18].map((i) => `kunde${i}@example.org`).sort());
    // delivered exactly once each
    expect([...r.relay.delivered].sort()).toEqual(r.sent.map((s) => s.to).sort());
    expect(r.relay.maxOpen).toBeLessThanOrEqual(4);
    // close() released every socket (the server notices the clients' FIN shortly after)
    for (let waited = 0; r.relay.open() > 0 && waited < 3000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(r.relay.open()).toBe(0);
  }, 30_000);
});
