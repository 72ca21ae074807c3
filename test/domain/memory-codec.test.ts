import { describe, expect, it } from 'vitest';
import { HistoryError } from '../../lambda/domain/history-store.ts';
import { EMPTY_MEMORY, type Memory } from '../../lambda/domain/memory.ts';
import { decodeMemory, encodeMemory, exemptionKey } from '../../lambda/domain/memory-codec.ts';

const LOCATION = 's3://audit-history/key-audit/state.json';
const FINDING = 'key-too-old:111111111111:AKIAEXAMPLE000000001';

/** A memory with an entry of every kind. */
const FULL: Memory = {
  lastScanned: { '111111111111': new Date('2026-06-15T12:00:00.000Z') },
  delivered: {
    [FINDING]: { findingId: FINDING, severity: 'high', deliveredAt: new Date('2026-06-14T12:00:00.000Z') },
  },
  exemptions: {
    [exemptionKey('111111111111', 'vendor')]: {
      accountId: '111111111111',
      userName: 'vendor',
      until: '2026-07-01',
      reason: 'CHG-1',
      firstSeenAt: new Date('2026-06-01T00:00:00.000Z'),
    },
  },
  notices: {
    AKIAEXAMPLE000000001: {
      accountId: '111111111111',
      userName: 'alice',
      accessKeyId: 'AKIAEXAMPLE000000001',
      action: 'deactivate',
      noticedAt: new Date('2026-06-10T00:00:00.000Z'),
      dueAt: new Date('2026-06-17T00:00:00.000Z'),
      lastUsedAtNoticed: null,
      production: true,
    },
  },
  actions: [
    {
      type: 'notice',
      accountId: '111111111111',
      userName: 'alice',
      accessKeyId: 'AKIAEXAMPLE000000001',
      dueAt: new Date('2026-06-17T00:00:00.000Z'),
      at: new Date('2026-06-10T00:00:00.000Z'),
      status: 'done',
      reason: 'key older than 97 days',
    },
  ],
  latestReports: {
    report: {
      job: 'report',
      asOf: new Date('2026-06-15T06:00:00.000Z'),
      location: 's3://audit-history/key-audit/reports/report/2026/06/15/2026-06-15T06-00-00.000Z.json',
    },
  },
};

/** The stored document of FULL as plain JSON, to edit into bad ones. */
const stored = (): Record<string, unknown> => JSON.parse(encodeMemory(FULL));
const decodeEdited = (edit: (doc: Record<string, unknown>) => void) => {
  const doc = stored();
  edit(doc);
  return () => decodeMemory(JSON.stringify(doc), LOCATION);
};

describe('encodeMemory', () => {
  it('does write schemaVersion 1 and every instant as an ISO string', () => {
    const doc = stored();
    expect(doc.schemaVersion).toBe(1);
    expect(doc.lastScanned).toEqual({ '111111111111': '2026-06-15T12:00:00.000Z' });
    expect((doc.notices as Record<string, Record<string, unknown>>).AKIAEXAMPLE000000001?.dueAt).toBe(
      '2026-06-17T00:00:00.000Z',
    );
  });

  it('does refuse to write an invalid date, a bug rather than input', () => {
    const broken = { ...EMPTY_MEMORY, lastScanned: { '111111111111': new Date(Number.NaN) } };
    expect(() => encodeMemory(broken)).toThrow(TypeError);
  });
});

describe('decodeMemory', () => {
  it.each([
    ['a memory of every kind', FULL],
    ['the empty memory', EMPTY_MEMORY],
  ])('does read back %s as it was written', (_label, memory) => {
    expect(decodeMemory(encodeMemory(memory), LOCATION)).toEqual(memory);
  });

  it.each([
    [
      'text that is not JSON',
      '{"schemaVersion": 1,',
      /^s3:\/\/audit-history\/key-audit\/state\.json: not JSON \(/,
    ],
    [
      'another schemaVersion',
      '{"schemaVersion": 2}',
      `${LOCATION}: schemaVersion 2 is not supported (this key-audit reads 1)`,
    ],
    ['an array', '[]', `${LOCATION}: Invalid input: expected object, received array`],
  ])('does refuse %s in one line naming the location', (_label, text, message) => {
    expect(() => decodeMemory(text, LOCATION)).toThrow(HistoryError);
    expect(() => decodeMemory(text, LOCATION)).toThrow(message);
  });

  it.each([
    [
      'a missing schemaVersion',
      (doc: Record<string, unknown>) => {
        delete doc.schemaVersion;
      },
      'schemaVersion: Invalid input: expected 1',
    ],
    [
      'a field this key-audit does not know',
      (doc: Record<string, unknown>) => {
        doc.suppressed = {};
      },
      'Unrecognized key: "suppressed"',
    ],
    [
      'a missing field',
      (doc: Record<string, unknown>) => {
        delete doc.delivered;
      },
      'delivered: Invalid input: expected record, received undefined',
    ],
    [
      'an instant that is not ISO',
      (doc: Record<string, unknown>) => {
        doc.lastScanned = { '111111111111': 'yesterday' };
      },
      'lastScanned["111111111111"]: not an ISO-8601 instant',
    ],
    [
      'an account id that is not one',
      (doc: Record<string, unknown>) => {
        doc.lastScanned = { '1111': '2026-06-15T12:00:00.000Z' };
      },
      'lastScanned["1111"]: key: not a 12-digit account id',
    ],
    [
      'an unknown severity',
      (doc: Record<string, unknown>) => {
        (doc.delivered as Record<string, Record<string, unknown>>)[FINDING] = {
          findingId: FINDING,
          severity: 'urgent',
          deliveredAt: '2026-06-14T12:00:00.000Z',
        };
      },
      `delivered["${FINDING}"].severity: Invalid option`,
    ],
    [
      'a delivery filed under another finding',
      (doc: Record<string, unknown>) => {
        const delivered = doc.delivered as Record<string, unknown>;
        delivered['key-unused:111111111111:AKIAEXAMPLE000000001'] = delivered[FINDING];
        delete delivered[FINDING];
      },
      `delivered["key-unused:111111111111:AKIAEXAMPLE000000001"]: key does not match the entry ("${FINDING}")`,
    ],
    [
      'an exemption date that is no day',
      (doc: Record<string, unknown>) => {
        const exemptions = doc.exemptions as Record<string, Record<string, unknown>>;
        (exemptions['111111111111/vendor'] as Record<string, unknown>).until = '2026-02-30';
      },
      'exemptions["111111111111/vendor"].until: not a date (YYYY-MM-DD)',
    ],
    [
      'a latest report filed under another job',
      (doc: Record<string, unknown>) => {
        doc.latestReports = { alerts: (doc.latestReports as Record<string, unknown>).report };
      },
      'latestReports.alerts: job is report',
    ],
    [
      'an action of an unknown status',
      (doc: Record<string, unknown>) => {
        (doc.actions as Record<string, unknown>[])[0] = { ...(doc.actions as object[])[0], status: 'maybe' };
      },
      'actions[0].status: Invalid option',
    ],
  ])('does refuse %s, naming the field', (_label, edit, problem) => {
    const decode = decodeEdited(edit);
    expect(decode).toThrow(HistoryError);
    expect(decode).toThrow(`${LOCATION}: ${problem}`);
  });

  it('does list the first five problems of a bad document and count the others', () => {
    const decode = decodeEdited((doc) => {
      doc.lastScanned = Object.fromEntries(
        Array.from({ length: 7 }, (_, n) => [`11111111111${n}`, `day ${n}`]),
      );
    });
    expect(decode).toThrow(/: lastScanned\["111111111110"\]: not an ISO-8601 instant; .*; and 2 more$/);
  });
});
