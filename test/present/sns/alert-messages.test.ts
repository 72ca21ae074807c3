import { describe, expect, it } from 'vitest';
import type { AlertPolicy } from '../../../lambda/domain/alerts.ts';
import type { Finding } from '../../../lambda/domain/finding.ts';
import { TELL_SECOND_LINE } from '../../../lambda/present/render/describe-finding.ts';
import type { JsonReport } from '../../../lambda/present/render/json.ts';
import {
  alertSubject,
  buildAlertMessages,
  DEFAULT_MAX_ALERT_MESSAGES,
  DIGEST_RULE,
} from '../../../lambda/present/sns/alert-messages.ts';
import { MESSAGE_PROTOCOLS, type SnsMessage, snsMessageBytes } from '../../../lambda/present/sns/index.ts';
import { isValidSnsSubject } from '../../../lambda/present/sns/subject.ts';
import {
  AS_OF,
  accountUnreachable,
  BROKEN,
  DEV,
  everyAction,
  inProduction,
  keyDueSoon,
  keyTooOld,
  makeReport,
  PROD,
  rootAccessKey,
  tagExemption,
  withTrend,
} from '../render/report-factory.ts';

const HOUR_MS = 3_600_000;
const POLICY: AlertPolicy = { alertSeverity: 'high', windowMs: 24 * HOUR_MS };

const protocolsOf = (message: SnsMessage): Record<string, string> =>
  JSON.parse(message.message) as Record<string, string>;
const jsonOf = (message: SnsMessage): JsonReport => JSON.parse(protocolsOf(message).sqs ?? '') as JsonReport;

// The factory dates a key `ageDays` days and 3 hours before AS_OF, so a 90-day-old key crossed the
// 90-day limit 3 hours ago: inside a 24-hour window. A 134-day-old key crossed it weeks ago.
const newlyTooOld = (input: Parameters<typeof keyTooOld>[0] = {}): Finding =>
  keyTooOld({ ageDays: 90, ...input });

describe('buildAlertMessages', () => {
  it('does build no message at all when nothing is new, critical or unreachable', () => {
    const report = makeReport([
      keyTooOld(),
      keyDueSoon(),
      keyTooOld({ ageDays: 300, exemption: tagExemption() }),
    ]);
    expect(report.findings.length).toBe(3);
    const built = buildAlertMessages(report, { alertPolicy: POLICY });
    expect(built.messages).toEqual([]);
    expect(built.alerts.findings).toEqual([]);
  });

  describe('with a root key, an unreachable account, one new and one old key', () => {
    const fresh = newlyTooOld({
      userName: 'alice',
      accessKeyId: 'AKIANEWLYTOOOLD00001',
      owner: 'team-payments',
    });
    const report = makeReport([keyTooOld({ userName: 'bob' }), fresh, rootAccessKey(), accountUnreachable()]);
    const built = buildAlertMessages(report, { alertPolicy: POLICY });

    it('does build one message per alerted finding, standing emergencies first', () => {
      expect(built.messages.map((m) => jsonOf(m.message).findings.map((f) => f.rule))).toEqual([
        ['root-access-key'],
        ['account-unreachable'],
        ['key-too-old'],
      ]);
      expect(jsonOf(built.messages[2]?.message as SnsMessage).findings[0]?.userName).toBe('alice');
      expect(built.individual).toBe(3);
      expect(built.digests).toBe(0);
    });

    it('does set severity, accountId, rule, production, and owner only when the finding has one', () => {
      expect(built.messages.map((m) => m.message.attributes)).toEqual([
        {
          severity: { type: 'String', value: 'critical' },
          accountId: { type: 'String', value: PROD },
          rule: { type: 'String', value: 'root-access-key' },
          production: { type: 'String', value: 'false' },
        },
        {
          severity: { type: 'String', value: 'high' },
          accountId: { type: 'String', value: BROKEN },
          rule: { type: 'String', value: 'account-unreachable' },
          production: { type: 'String', value: 'false' },
        },
        {
          severity: { type: 'String', value: 'high' },
          accountId: { type: 'String', value: PROD },
          rule: { type: 'String', value: 'key-too-old' },
          owner: { type: 'String', value: 'team-payments' },
          production: { type: 'String', value: 'false' },
        },
      ]);
    });

    it('does give every message all protocol keys, a valid subject, and the alert JSON of its one finding', () => {
      for (const { message } of built.messages) {
        const protocols = protocolsOf(message);
        expect(Object.keys(protocols).sort()).toEqual([...MESSAGE_PROTOCOLS].sort());
        expect(protocols.default).toMatch(/^key-audit ALERT /);
        expect(protocols.email).toContain('key-audit ALERT');
        expect(isValidSnsSubject(message.subject)).toBe(true);
        const json = jsonOf(message);
        expect(json.kind).toBe('alert');
        expect(json.newSince).toBe(new Date(AS_OF.getTime() - POLICY.windowMs).toISOString());
        expect(json.findings).toHaveLength(1);
        // Only the finding's own account, while the summary still describes the whole run.
        expect(json.accounts.map((a) => a.accountId)).toEqual([json.findings[0]?.accountId]);
        expect(json.summary.accounts).toBe(report.summary.accounts);
      }
    });

    it('does word the subject by finding: new or standing, severity, rule, account and user', () => {
      expect(built.messages.map((m) => m.message.subject)).toEqual([
        `key-audit ALERT: CRITICAL Root user has an access key in ${PROD}: root user`,
        `key-audit ALERT: HIGH Account could not be scanned in ${BROKEN}`,
        `key-audit ALERT: new HIGH Access key older than the rotation limit in ${PROD}: alice`,
      ]);
    });

    it('does use the rule id instead of its title when the user name would not fit', () => {
      const long = newlyTooOld({ userName: 'contractor+acme-integration@example.com' });
      const subject = alertSubject(long, 'new');
      expect(subject).toBe(
        `key-audit ALERT: new HIGH key-too-old in ${PROD}: contractor+acme-integration@example.com`,
      );
    });
  });

  it('does count a finding as new only within the window the policy gives', () => {
    const report = makeReport([newlyTooOld()]);
    expect(buildAlertMessages(report, { alertPolicy: POLICY }).messages).toHaveLength(1);
    const twoHours = { ...POLICY, windowMs: 2 * HOUR_MS };
    expect(buildAlertMessages(report, { alertPolicy: twoHours }).messages).toHaveLength(0);
    const onlyCritical = { ...POLICY, alertSeverity: 'critical' as const };
    expect(buildAlertMessages(report, { alertPolicy: onlyCritical }).messages).toHaveLength(0);
  });

  describe('beyond the cap', () => {
    const findings = Array.from({ length: 60 }, (_, i) =>
      newlyTooOld({
        accountId: i % 2 === 0 ? PROD : DEV,
        userName: `user-${i}`,
        accessKeyId: `AKIA${String(i).padStart(16, '0')}`,
      }),
    );
    const report = makeReport(findings);
    const built = buildAlertMessages(report, { alertPolicy: POLICY, maxMessages: 50 });

    it('does send the first 50 one by one and one digest per account for the rest', () => {
      expect(built.individual).toBe(50);
      expect(built.digests).toBe(2);
      expect(built.messages).toHaveLength(52);
      const digests = built.messages.slice(50).map((m) => m.message);
      expect(digests.map((m) => m.attributes)).toEqual([
        {
          severity: { type: 'String', value: 'high' },
          accountId: { type: 'String', value: PROD },
          rule: { type: 'String', value: DIGEST_RULE },
          production: { type: 'String', value: 'false' },
        },
        {
          severity: { type: 'String', value: 'high' },
          accountId: { type: 'String', value: DEV },
          rule: { type: 'String', value: DIGEST_RULE },
          production: { type: 'String', value: 'false' },
        },
      ]);
      expect(digests.map((m) => jsonOf(m).findings.length)).toEqual([5, 5]);
    });

    it('does alert every finding exactly once, one by one or in a digest', () => {
      const alerted = built.messages.flatMap((m) => jsonOf(m.message).findings.map((f) => f.id));
      expect(alerted.sort()).toEqual(findings.map((f) => f.id).sort());
    });

    it('does say which findings each message carries, in the order of the messages', () => {
      expect(built.findingsByMessage).toHaveLength(built.messages.length);
      built.messages.forEach((m, index) => {
        expect(built.findingsByMessage[index]?.map((f) => f.id)).toEqual(
          jsonOf(m.message).findings.map((f) => f.id),
        );
      });
    });

    it('does keep each message and subject within SNS limits', () => {
      for (const { message } of built.messages) {
        expect(snsMessageBytes(message)).toBeLessThanOrEqual(262_144);
        expect(isValidSnsSubject(message.subject)).toBe(true);
      }
    });
  });

  describe('with the alerts chosen by the caller (a history)', () => {
    // A key past the limit for weeks: the window would not alert it; a history that never delivered it does.
    const standing = keyTooOld({ userName: 'bob' });
    const report = makeReport([standing, rootAccessKey()]);
    const built = buildAlertMessages(report, {
      alertPolicy: POLICY,
      selected: [{ finding: standing, reason: 'new' }],
    });

    it('does alert exactly the chosen findings, worded by the reason given', () => {
      expect(built.alerts.findings).toEqual([standing]);
      expect(built.findingsByMessage).toEqual([[standing]]);
      expect(built.messages.map((m) => m.message.subject)).toEqual([alertSubject(standing, 'new')]);
    });

    it('does name no window start', () => {
      expect(built.newSince).toBeNull();
      expect(jsonOf(built.messages[0]?.message as SnsMessage).newSince).toBeNull();
    });
  });

  it('does cap at 50 messages by default', () => {
    expect(DEFAULT_MAX_ALERT_MESSAGES).toBe(50);
    const many = Array.from({ length: 51 }, (_, i) =>
      newlyTooOld({ userName: `u${i}`, accessKeyId: `AKIA${String(i).padStart(16, '0')}` }),
    );
    const built = buildAlertMessages(makeReport(many), { alertPolicy: POLICY });
    expect([built.individual, built.digests]).toEqual([50, 1]);
  });

  it.each([[-1], [1.5]])('does refuse a cap of %s', (maxMessages) => {
    expect(() => buildAlertMessages(makeReport([]), { alertPolicy: POLICY, maxMessages })).toThrow(
      RangeError,
    );
  });

  describe('of production keys', () => {
    const prod = inProduction(newlyTooOld({ userName: 'alice', accessKeyId: 'AKIANEWLYTOOOLD00001' }));
    const other = newlyTooOld({ accountId: DEV, userName: 'bob', accessKeyId: 'AKIANEWLYTOOOLD00002' });
    const built = buildAlertMessages(makeReport([prod, other]), { alertPolicy: POLICY });
    const byUser = (user: string): SnsMessage | undefined =>
      built.messages.map((m) => m.message).find((m) => jsonOf(m).findings[0]?.userName === user);

    it.each([
      ['alice', 'true'],
      ['bob', 'false'],
    ])('does carry production as an attribute a 2nd-line subscription filters on (%s: %s)', (user, value) => {
      expect(byUser(user)?.attributes.production).toEqual({ type: 'String', value });
      expect(jsonOf(byUser(user) as SnsMessage).findings[0]?.production).toBe(value === 'true');
    });

    it('does tell 2nd line first in the next step of a production key only', () => {
      expect(protocolsOf(byUser('alice') as SnsMessage).default).toContain(
        `Next step: ${prod.remediation} ${TELL_SECOND_LINE}`,
      );
      expect(protocolsOf(byUser('bob') as SnsMessage).default).not.toContain(TELL_SECOND_LINE);
      expect(protocolsOf(byUser('alice') as SnsMessage).email?.replace(/\s+/g, ' ')).toContain(
        TELL_SECOND_LINE,
      );
    });

    it('does mark a digest production when any of its keys is', () => {
      const many = Array.from({ length: 3 }, (_, i) =>
        inProduction(newlyTooOld({ userName: `p${i}`, accessKeyId: `AKIA${String(i).padStart(16, '0')}` })),
      );
      const capped = buildAlertMessages(makeReport(many), { alertPolicy: POLICY, maxMessages: 1 });
      expect(capped.messages.at(-1)?.message.attributes.production).toEqual({
        type: 'String',
        value: 'true',
      });
    });
  });

  it("does leave the run's trend, actions and new exemptions to the weekly report", () => {
    const report = {
      ...withTrend(makeReport([rootAccessKey()]), { new: ['x'], previousViolations: 3 }),
      actions: everyAction(),
      newExemptions: [
        { accountId: DEV, userName: 'v', until: '2026-12-31', reason: 'r', source: 'tag' as const },
      ],
    };
    const [message] = buildAlertMessages(report, { alertPolicy: POLICY }).messages;
    const json = jsonOf(message?.message as SnsMessage);
    expect([json.trend, json.actions, json.newExemptions]).toEqual([null, null, null]);
    expect(protocolsOf(message?.message as SnsMessage).email).not.toContain('ACTIONS');
  });
});
