import { describe, expect, it } from 'vitest';
import {
  attributeBytes,
  highestSeverity,
  numberAttribute,
  snsMessageBytes,
  stringAttribute,
} from '../../../lambda/present/sns/message.ts';
import { inactiveKey, keyDueSoon, keyTooOld, rootAccessKey, tagExemption } from '../render/report-factory.ts';

describe('snsMessageBytes', () => {
  it('does count UTF-8 bytes of the message, the subject and every attribute name, type and value', () => {
    // "zoë" is 4 bytes, "🚀" is 4 bytes: characters would undercount.
    const message = {
      subject: 'abc',
      message: '{"default":"zoë 🚀"}',
      attributes: { owner: { type: 'String' as const, value: 'Zoë' } },
    };
    const expected =
      Buffer.byteLength('{"default":"zoë 🚀"}') +
      3 +
      'owner'.length +
      'String'.length +
      Buffer.byteLength('Zoë');
    expect(snsMessageBytes(message)).toBe(expected);
    expect(expected).toBeGreaterThan(message.message.length + 3 + 5 + 6 + 3);
  });

  it('does count no attribute bytes when there are none', () => {
    expect(attributeBytes({})).toBe(0);
  });
});

describe('stringAttribute', () => {
  it.each([
    ['team-payments@example.com', 'team-payments@example.com'],
    ['  Zoë Brontë 🚀 ', 'Zoë Brontë 🚀'],
    ['two\nlines', 'two lines'],
    ['two\u2028lines\u2029here', 'two lines here'],
    ['bad \ud800 surrogate', 'bad  surrogate'],
  ])('does turn %j into a String attribute %j', (input, value) => {
    expect(stringAttribute(input)).toEqual({ type: 'String', value });
  });

  it.each([[''], ['   '], ['\u0000']])('does give null for %j, which SNS would refuse', (input) => {
    expect(stringAttribute(input)).toBeNull();
  });
});

describe('numberAttribute', () => {
  it('does send the number as its decimal string', () => {
    expect(numberAttribute(5000)).toEqual({ type: 'Number', value: '5000' });
  });

  it.each([[Number.NaN], [Number.POSITIVE_INFINITY]])('does refuse %s', (value) => {
    expect(() => numberAttribute(value)).toThrow(RangeError);
  });
});

describe('highestSeverity', () => {
  it('does pick the most severe non-exempt finding', () => {
    expect(highestSeverity([inactiveKey(), keyTooOld(), keyDueSoon()])).toBe('high');
    expect(highestSeverity([inactiveKey(), rootAccessKey(), keyTooOld()])).toBe('critical');
  });

  it('does ignore exempt findings, and gives null when nothing is left', () => {
    const exemptCritical = keyTooOld({ ageDays: 300, exemption: tagExemption() });
    expect(exemptCritical.severity).toBe('critical');
    expect(highestSeverity([exemptCritical, keyDueSoon()])).toBe('low');
    expect(highestSeverity([exemptCritical])).toBeNull();
    expect(highestSeverity([])).toBeNull();
  });
});
