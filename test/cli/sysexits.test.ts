import { describe, expect, test } from 'vitest';
import { classifySysexit, EX, sysexitName } from '../../src/send/index.js';
import { EX as CLI_EX } from '../../src/tools/cli/io.js';

describe('one sysexits table', () => {
  test('the numbers of sysexits.h', () => {
    expect(EX).toMatchObject({ OK: 0, USAGE: 64, DATAERR: 65, NOINPUT: 66, NOUSER: 67 });
    expect(EX).toMatchObject({ UNAVAILABLE: 69, SOFTWARE: 70, TEMPFAIL: 75, CONFIG: 78 });
    expect(CLI_EX).toBe(EX);
  });

  test('names come from the same table; 0 and unknown numbers have none', () => {
    expect(sysexitName(75)).toBe('EX_TEMPFAIL');
    expect(sysexitName(64)).toBe('EX_USAGE');
    expect(sysexitName(0)).toBeUndefined();
    expect(sysexitName(79)).toBeUndefined();
    expect(classifySysexit(78)).toEqual({
      temporary: false,
      code: 'TRANSPORT_UNAVAILABLE',
      name: 'EX_CONFIG',
    });
    expect(classifySysexit(0).name).toBe('exit 0');
  });
});
