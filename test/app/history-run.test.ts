import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exemptionsNewSinceJob, startHistoryRun } from '../../lambda/app/history-run.ts';
import { HistoryConflictError, HistoryError, type HistoryStore } from '../../lambda/domain/history-store.ts';
import type { HistoryJob, Memory } from '../../lambda/domain/memory.ts';
import { newExemptionFindings } from '../../lambda/domain/rules/new-exemption.ts';
import { createDirectoryHistoryStore } from '../../lambda/history/history-dir.ts';
import {
  AS_OF,
  DEV,
  daysBefore,
  exemptFinding,
  finding,
  memoryWith,
  PROD,
  reportOf,
  unreachable,
} from '../domain/history-factories.ts';

const TMP = mkdtempSync(join(tmpdir(), 'key-audit-history-run-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
let stores = 0;

/** A directory history of its own for each test. */
const freshStore = (): HistoryStore => {
  stores += 1;
  return createDirectoryHistoryStore(join(TMP, `history-${stores}`));
};

const DAY_MS = 86_400_000;
const next = (days: number): Date => new Date(AS_OF.getTime() + days * DAY_MS);

const aliceOld = finding({ userName: 'alice', accessKeyId: 'AKIAALICE00000000001', since: daysBefore(3) });
const bobOld = finding({ userName: 'bob', accessKeyId: 'AKIABOB0000000000001', since: daysBefore(40) });
const carolUnused = finding({
  rule: 'key-unused',
  severity: 'medium',
  userName: 'carol',
  accessKeyId: 'AKIACAROL00000000001',
});

/** Runs `job` at `asOf` over `findings` on `store`: complete, alerts, save with what `deliver` keeps. */
const runOnce = async (
  store: HistoryStore,
  job: HistoryJob,
  asOf: Date,
  findings: Parameters<typeof reportOf>[0],
  deliver: (ids: readonly string[]) => readonly string[] = (ids) => ids,
) => {
  const run = await startHistoryRun(store, job, { region: 'eu-west-2' });
  const report = await run.complete(reportOf(findings, { asOf }));
  const toSend = job === 'alerts' ? run.alerts(report, { alertSeverity: 'high' }) : [];
  const sent = new Set(deliver(toSend.map((a) => a.finding.id)));
  const delivered = toSend
    .filter((a) => sent.has(a.finding.id))
    .map((a) => ({ findingId: a.finding.id, severity: a.finding.severity }));
  const saved = await run.save({ report, delivered });
  return { run, report, toSend, saved };
};

describe('startHistoryRun', () => {
  it('does fail with the store’s HistoryError when the memory cannot be read', async () => {
    const dir = join(TMP, 'corrupt');
    const store = createDirectoryHistoryStore(dir);
    await store.save(memoryWith(), null);
    writeFileSync(join(dir, 'state.json'), '{not json');
    await expect(startHistoryRun(store, 'scan')).rejects.toBeInstanceOf(HistoryError);
  });

  it('does start from the empty memory in a new location', async () => {
    const run = await startHistoryRun(freshStore(), 'scan');
    expect(run.memory).toEqual(memoryWith());
  });
});

describe('HistoryRun.complete', () => {
  it('does store the complete JSON report under its dated key and link it, with no trend on a first run', async () => {
    const store = freshStore();
    const run = await startHistoryRun(store, 'report', { region: 'eu-west-2' });
    const report = await run.complete(reportOf([aliceOld, bobOld]));

    expect(report.trend).toEqual({ previousAsOf: null, previous: null, new: [], resolved: [] });
    expect(report.storedAt?.uri).toBe(
      join(store.location, 'reports/report/2026/06/15/2026-06-15T12-00-00.000Z.json'),
    );
    // A directory is no bucket: there is no console page to link.
    expect(report.storedAt?.consoleUrl).toBeUndefined();
    const stored = JSON.parse(readFileSync(report.storedAt?.uri ?? '', 'utf8')) as {
      schemaVersion: number;
      findings: { id: string }[];
    };
    expect(stored.schemaVersion).toBe(1);
    expect(stored.findings.map((f) => f.id)).toEqual([aliceOld.id, bobOld.id]);
  });

  it('does compare with the previous report of the same job only', async () => {
    const store = freshStore();
    await runOnce(store, 'report', AS_OF, [aliceOld, bobOld]);
    await runOnce(store, 'alerts', next(1), [aliceOld]);
    const { report } = await runOnce(store, 'report', next(7), [bobOld, carolUnused]);
    expect(report.trend).toMatchObject({
      previousAsOf: AS_OF,
      new: [carolUnused.id],
      resolved: [aliceOld.id],
    });
    expect(report.trend?.previous?.violations).toBe(2);
  });

  it('does list the exemptions new since the job’s previous run, also those another job saw first', async () => {
    const store = freshStore();
    const vendor = exemptFinding('vendor', '2026-12-31');
    const backup = exemptFinding('backup', '2026-09-30');
    const first = await runOnce(store, 'report', AS_OF, [vendor]);
    expect(first.report.newExemptions?.map((e) => e.userName)).toEqual(['vendor']);
    // The alerts job sees `backup` first; the next weekly report still lists it as new, not `vendor`.
    await runOnce(store, 'alerts', next(1), [vendor, backup]);
    const week = await runOnce(store, 'report', next(7), [vendor, backup]);
    expect(week.report.newExemptions).toEqual([
      { accountId: PROD, userName: 'backup', until: '2026-09-30', reason: 'CHG-1 vendor key', source: 'tag' },
    ]);
  });
});

describe('exemptionsNewSinceJob', () => {
  const vendor = exemptFinding('vendor', '2026-12-31');
  const known = (firstSeenAt: Date, until = '2026-12-31'): Memory =>
    memoryWith({
      exemptions: {
        [`${PROD}/vendor`]: {
          accountId: PROD,
          userName: 'vendor',
          until,
          reason: 'CHG-1 vendor key',
          firstSeenAt,
        },
      },
      latestReports: { report: { job: 'report', asOf: daysBefore(7), location: 'x' } },
    });

  it.each([
    ['first seen before the job’s last run', known(daysBefore(8)), []],
    ['first seen at the job’s last run', known(daysBefore(7)), []],
    ['first seen by another job since', known(daysBefore(2)), ['vendor']],
    ['changed its date since', known(daysBefore(30), '2026-10-31'), ['vendor']],
    ['unknown to the memory', memoryWith(), ['vendor']],
  ])('does list an exemption %s accordingly', (_, memory, expected) => {
    const report = reportOf([vendor]);
    expect(exemptionsNewSinceJob(report, memory, 'report').map((e) => e.userName)).toEqual(expected);
  });
});

describe('HistoryRun.alerts', () => {
  it('does send what was never delivered, once, and nothing on the next run', async () => {
    const store = freshStore();
    const day1 = await runOnce(store, 'alerts', AS_OF, [aliceOld, bobOld, carolUnused]);
    // First run with a history: every qualifying finding (the backlog too), not the medium one.
    expect(day1.toSend.map((a) => [a.finding.id, a.reason])).toEqual([
      [aliceOld.id, 'new'],
      [bobOld.id, 'new'],
    ]);
    const day2 = await runOnce(store, 'alerts', next(1), [aliceOld, bobOld, carolUnused]);
    expect(day2.toSend).toEqual([]);
  });

  it('does send again the alerts a run failed to deliver, and only those', async () => {
    const store = freshStore();
    await runOnce(store, 'alerts', AS_OF, [aliceOld, bobOld], (ids) => ids.filter((id) => id === bobOld.id));
    const day2 = await runOnce(store, 'alerts', next(1), [aliceOld, bobOld]);
    expect(day2.toSend.map((a) => [a.finding.id, a.reason])).toEqual([[aliceOld.id, 'undelivered']]);
    const day3 = await runOnce(store, 'alerts', next(2), [aliceOld, bobOld]);
    expect(day3.toSend).toEqual([]);
  });

  it('does send the findings of an account unreachable yesterday once it is reachable, once', async () => {
    const store = freshStore();
    const devOld = finding({ accountId: DEV, userName: 'dave', accessKeyId: 'AKIADAVE000000000001' });
    const day1 = await runOnce(store, 'alerts', AS_OF, [aliceOld, unreachable(DEV)]);
    expect(day1.toSend.map((a) => [a.finding.id, a.reason])).toEqual([
      [aliceOld.id, 'new'],
      [`account-unreachable:${DEV}`, 'unreachable'],
    ]);
    const day2 = await runOnce(store, 'alerts', next(1), [aliceOld, devOld]);
    expect(day2.toSend.map((a) => [a.finding.id, a.reason])).toEqual([[devOld.id, 'new']]);
    const day3 = await runOnce(store, 'alerts', next(2), [aliceOld, devOld]);
    expect(day3.toSend).toEqual([]);
  });

  it('does alert a new exemption once, whatever the alert severity, and again when its date changes', async () => {
    const store = freshStore();
    const vendor = exemptFinding('vendor', '2026-12-31');
    const day1 = await runOnce(store, 'alerts', AS_OF, [vendor]);
    expect(day1.toSend.map((a) => [a.finding.rule, a.finding.severity, a.finding.message])).toEqual([
      [
        'new-exemption',
        'medium',
        'User vendor became exempt until 2026-12-31 by its key-audit:exempt-until tag, for the reason "CHG-1 vendor key": its keys raise no violation until then.',
      ],
    ]);
    // Another job's run in between (it would forget a delivery of a finding the report does not hold).
    await runOnce(store, 'report', next(1), [vendor]);
    const day2 = await runOnce(store, 'alerts', next(2), [vendor]);
    expect(day2.toSend).toEqual([]);
    const extended = exemptFinding('vendor', '2027-06-30');
    const day3 = await runOnce(store, 'alerts', next(3), [extended]);
    expect(day3.toSend.map((a) => a.finding.id)).toEqual(
      newExemptionFindings(
        [
          {
            accountId: PROD,
            userName: 'vendor',
            until: '2027-06-30',
            reason: 'CHG-1 vendor key',
            source: 'tag',
          },
        ],
        next(3),
      ).map((f) => f.id),
    );
  });

  it('does alert a new exemption again on the next run when its alert was not delivered', async () => {
    const store = freshStore();
    const vendor = exemptFinding('vendor', '2026-12-31');
    await runOnce(store, 'alerts', AS_OF, [vendor], () => []);
    const day2 = await runOnce(store, 'alerts', next(1), [vendor]);
    expect(day2.toSend.map((a) => a.finding.rule)).toEqual(['new-exemption']);
  });
});

describe('HistoryRun.save', () => {
  it('does record the delivered alerts, the scanned accounts and the stored report', async () => {
    const store = freshStore();
    const { report, saved } = await runOnce(store, 'alerts', AS_OF, [aliceOld, bobOld], (ids) =>
      ids.slice(0, 1),
    );
    expect(Object.keys(saved.memory.delivered)).toEqual([aliceOld.id]);
    expect(saved.memory.lastScanned).toEqual({ [PROD]: AS_OF });
    expect(saved.memory.latestReports.alerts).toEqual({
      job: 'alerts',
      asOf: AS_OF,
      location: report.storedAt?.uri,
    });
    await expect(store.load()).resolves.toEqual({ memory: saved.memory, revision: saved.revision });
  });

  it('does apply the run’s outcome again to what another run saved in between', async () => {
    const store = freshStore();
    const run = await startHistoryRun(store, 'alerts');
    // Another run saves after this one loaded.
    await runOnce(store, 'report', daysBefore(1), [bobOld]);
    const report = await run.complete(reportOf([aliceOld]));
    const saved = await run.save({
      report,
      delivered: [{ findingId: aliceOld.id, severity: 'high' }],
      remember: (memory) => ({ ...memory, actions: [...memory.actions] }),
    });
    expect(saved.attempts).toBe(2);
    expect(Object.keys(saved.memory.latestReports).sort()).toEqual(['alerts', 'report']);
    expect(Object.keys(saved.memory.delivered)).toEqual([aliceOld.id]);
  });

  it('does hand the memory to `remember` after the run’s own changes', async () => {
    const store = freshStore();
    const run = await startHistoryRun(store, 'scan');
    const report = await run.complete(reportOf([aliceOld]));
    const seen: Memory[] = [];
    await run.save({
      report,
      delivered: [],
      remember: (memory) => {
        seen.push(memory);
        return memory;
      },
    });
    expect(seen[0]?.lastScanned).toEqual({ [PROD]: AS_OF });
  });

  it('does give up with the HistoryConflictError when other runs keep saving first', async () => {
    const store = freshStore();
    const conflicting: HistoryStore = {
      ...store,
      load: () => store.load(),
      previousReport: (job, before) => store.previousReport(job, before),
      putReport: (job, asOf, json) => store.putReport(job, asOf, json),
      save: async () => {
        throw new HistoryConflictError(`${store.location}/state.json: changed since it was loaded`);
      },
    };
    const run = await startHistoryRun(conflicting, 'scan', { saveAttempts: 2 });
    const report = await run.complete(reportOf([aliceOld]));
    await expect(run.save({ report, delivered: [] })).rejects.toBeInstanceOf(HistoryConflictError);
  });

  it('does refuse to save a run that stored no report', async () => {
    const run = await startHistoryRun(freshStore(), 'scan');
    await expect(run.save({ report: reportOf([]), delivered: [] })).rejects.toThrow(/stored no report/);
  });
});
