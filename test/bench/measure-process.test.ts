import { describe, expect, it } from 'vitest';
import { parseGnuTimeMaxRssKb, parseVmHwmKb } from '../../bench/measure-process.ts';

describe('parseGnuTimeMaxRssKb', () => {
  it('reads the maximum resident set size from time -v output', () => {
    const output = [
      '\tCommand being timed: "node x.js"',
      '\tMaximum resident set size (kbytes): 124320',
      '\tAverage resident set size (kbytes): 0',
    ].join('\n');
    expect(parseGnuTimeMaxRssKb(output)).toBe(124320);
  });

  it('returns null when the line is missing', () => {
    expect(parseGnuTimeMaxRssKb('Command exited with non-zero status 1\n')).toBeNull();
  });
});

describe('parseVmHwmKb', () => {
  it('reads VmHWM, not VmRSS, from /proc/<pid>/status', () => {
    expect(parseVmHwmKb('Name:\tnode\nVmHWM:\t  150000 kB\nVmRSS:\t  90000 kB\n')).toBe(150000);
  });

  it('returns null for a status without VmHWM (a kernel thread)', () => {
    expect(parseVmHwmKb('Name:\tkthreadd\nState:\tS (sleeping)\n')).toBeNull();
  });
});
