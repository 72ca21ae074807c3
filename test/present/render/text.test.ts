import { describe, expect, it } from 'vitest';
import {
  displayWidth,
  padDisplay,
  stripAnsi,
  truncateDisplay,
  utf8Bytes,
  wrap,
  wrapCommand,
} from '../../../lambda/present/render/text.ts';

describe('displayWidth', () => {
  it.each([
    ['alice', 5],
    ['zoë', 3],
    ['zoe\u0308', 3],
    ['🚀', 2],
    ['\u001b[31mHIGH\u001b[0m', 4],
    ['', 0],
  ])('does measure %j as %i columns', (text, width) => {
    expect(displayWidth(text)).toBe(width);
  });
});

describe('padDisplay and truncateDisplay', () => {
  it('does pad to the display width when text has wide characters', () => {
    expect(displayWidth(padDisplay('Zoë 🚀', 10))).toBe(10);
  });

  it.each([1, 2, 3, 4, 5, 6])('does never exceed %i columns nor split an emoji when truncating', (width) => {
    const out = truncateDisplay('ab🚀cd🚀ef', width);
    expect(displayWidth(out)).toBeLessThanOrEqual(width);
    expect(out.endsWith('…')).toBe(true);
    expect(out).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it('does return text unchanged when it fits', () => {
    expect(truncateDisplay('alice', 5)).toBe('alice');
  });
});

describe('wrap', () => {
  const text =
    'AccessDenied: User: arn:aws:sts::999999999999:assumed-role/KeyAuditScanner/key-audit is not authorized to perform: sts:AssumeRole';

  it.each([20, 40, 78])(
    'does keep lines within %i columns unless one word is longer than a line',
    (width) => {
      const lines = wrap(text, { width, indent: '    ', firstIndent: '  - ' });
      for (const line of lines) {
        if (displayWidth(line) > width) expect(line.trim()).not.toContain(' ');
      }
      expect(lines.map((l) => l.trim()).join(' ')).toBe(text.replace(/^/, '- '));
    },
  );

  it('does indent following lines and never split a word', () => {
    const lines = wrap('one two three four five six', { width: 10, indent: '  ', firstIndent: '' });
    expect(lines).toEqual(['one two', '  three', '  four', '  five six']);
  });
});

describe('stripAnsi', () => {
  it('does remove colour codes only', () => {
    expect(stripAnsi('\u001b[1;31mCRITICAL\u001b[0m zoë')).toBe('CRITICAL zoë');
  });
});

describe('utf8Bytes', () => {
  it.each([
    ['alice', 5],
    ['zoë', 4],
    ['🚀', 4],
    ['', 0],
  ])('does count %j as %i bytes', (text, bytes) => {
    expect(utf8Bytes(text)).toBe(bytes);
  });
});

describe('wrapCommand', () => {
  const command =
    'aws iam update-access-key --user-name svc-orders-api --access-key-id AKIAIOSFODNN7EXAMPLE --status Active';

  it('does keep a command that fits on one line', () => {
    expect(wrapCommand(command, { width: 200, firstIndent: 'Undo: ' })).toEqual([`Undo: ${command}`]);
  });

  it.each([40, 60, 80])(
    'does break between words with a continuation at %i columns, pasting back whole',
    (width) => {
      const lines = wrapCommand(command, { width, firstIndent: '    Undo: ', indent: '      ' });
      expect(lines.length).toBeGreaterThan(1);
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);
      expect(lines.slice(0, -1).every((l) => l.endsWith(' \\'))).toBe(true);
      expect(lines.at(-1)?.endsWith('\\')).toBe(false);
      expect(lines.join('\n').replace(/ \\\n +/g, ' ')).toBe(`    Undo: ${command}`);
    },
  );

  it('does keep a quoted word whole', () => {
    const quoted = "aws iam update-access-key --user-name 'it''s odd' --status Active";
    const lines = wrapCommand(quoted, { width: 30 });
    expect(lines.some((l) => l.includes("'it''s odd'"))).toBe(true);
  });
});
