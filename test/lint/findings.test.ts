import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as publicApi from '../../src/index.js';
import { type FindingLocation, formatLocation, lint } from '../../src/lint/index.js';

const now = new Date('2026-11-29T14:00:00Z');

describe('formatLocation', () => {
  // Every location shape a rule reports, with the text the CLI and error messages print.
  const shapes: Array<[FindingLocation, string]> = [
    [{ part: '', header: 'Subject', line: 3 }, 'header Subject (line 3)'],
    [{ part: '1.2', header: 'Content-Type', line: 40 }, 'part 1.2 header Content-Type (line 40)'],
    [{ part: '' }, 'message'],
    [{ part: '2' }, 'part 2'],
    [{ part: '', area: 'header' }, 'header block'],
    [{ part: '', area: 'header', line: 9 }, 'message line 9'],
    [{ part: '1.1', area: 'header', line: 12 }, 'part 1.1 line 12'],
    [{ part: '', area: 'body' }, 'message body'],
    [{ part: '3', area: 'body' }, 'part 3'],
    [{ part: '', line: 7 }, 'line 7'],
    [{ part: '1', line: 14 }, 'part 1 line 14'],
    [{ part: '', area: 'envelope' }, 'envelope'],
  ];
  for (const [location, text] of shapes) {
    it(`${JSON.stringify(location)} → ${text}`, () => {
      expect(formatLocation(location)).toBe(text);
    });
  }

  it('is public, next to lint()', () => {
    expect(publicApi.formatLocation).toBe(formatLocation);
  });

  it('every location lint reports on the fixtures is one of those shapes', () => {
    const known =
      /^(?:(?:part [\d.]+ )?header \S.* \(line \d+\)|message|part [\d.]+|header block|(?:message |part [\d.]+ )?line \d+|message body|envelope)$/;
    const dirs = ['../fixtures/lint', '../fixtures/samples'].map((d) =>
      join(import.meta.dirname, d),
    );
    let seen = 0;
    for (const dir of dirs) {
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.eml'))) {
        const report = lint(readFileSync(join(dir, file)), {
          now,
          envelope: { from: 'wwwrun@localhost', to: ['max@example.org'] },
        });
        for (const f of report.findings) {
          if (f.location === undefined) continue;
          seen++;
          expect(typeof f.location.part, `${file} ${f.rule}`).toBe('string');
          expect(formatLocation(f.location), `${file} ${f.rule}`).toMatch(known);
        }
      }
    }
    expect(seen).toBeGreaterThan(100);
  });
});

describe('lint options.now', () => {
  const raw = readFileSync(join(import.meta.dirname, '../fixtures/samples/probe-date-future.eml'));
  const skew = (options: Parameters<typeof lint>[1]) =>
    lint(raw, options).findings.filter((f) => f.rule === 'date-skew');

  it('takes a function, as compose() and repair() do', () => {
    let calls = 0;
    const found = skew({
      now: () => {
        calls++;
        return now;
      },
    });
    expect(calls).toBe(1);
    expect(found).toHaveLength(1);
    expect(found).toEqual(skew({ now }));
  });

  it('judges against the time the function returns', () => {
    const date = /^Date: (.*)$/m.exec(raw.toString('latin1'))![1]!.trim();
    const sent = new Date(date);
    expect(skew({ now: () => sent })).toEqual([]);
  });
});
