import { describe, expect, it } from 'vitest';
import { reactivateCommand } from '../../../lambda/domain/enforcement/undo.ts';
import { DAY_MS } from '../../../lambda/domain/policy.ts';
import { PRODUCTION_LEGEND, TELL_SECOND_LINE } from '../../../lambda/present/render/describe-finding.ts';
import { headline } from '../../../lambda/present/render/headline.ts';
import { renderSlack, renderSlackJson, slackSafe } from '../../../lambda/present/render/slack.ts';
import {
  AS_OF,
  BROKEN,
  DEV,
  everyAction,
  everyRuleReport,
  inProduction,
  keyTooOld,
  keyUnused,
  largeReport,
  makeReport,
  PROD,
  scanned,
  withTrend,
} from './report-factory.ts';

const report = everyRuleReport();
const notification = renderSlack(report);
const big = largeReport(500);

/** Finding lines start with a bold severity; failed-account lines with an account id. */
const findingLines = (description: string): string[] =>
  description.split('\n').filter((l) => l.startsWith('• *'));

describe('renderSlack', () => {
  it('does produce the AWS Chatbot custom notification shape', () => {
    expect(notification).toMatchObject({
      version: '1.0',
      source: 'custom',
      content: { textType: 'client-markdown' },
    });
    expect(typeof notification.content.title).toBe('string');
    expect(typeof notification.content.description).toBe('string');
    expect(notification.content.nextSteps.every((s) => typeof s === 'string')).toBe(true);
    expect(notification.content.keywords.every((s) => typeof s === 'string')).toBe(true);
    expect(Object.keys(notification.metadata).sort()).toEqual(
      ['additionalContext', 'eventType', 'relatedResources', 'summary', 'threadId'].sort(),
    );
    for (const value of Object.values(notification.metadata.additionalContext))
      expect(typeof value).toBe('string');
  });

  it('does serialise to the same object as JSON', () => {
    expect(JSON.parse(renderSlackJson(report))).toStrictEqual(notification);
  });

  it('does title the message with the headline', () => {
    expect(notification.content.title).toBe(headline(report));
    expect(notification.content.title.length).toBeLessThan(100);
  });

  it('does list findings in Slack markdown, most severe first, with their facts', () => {
    const lines = findingLines(notification.content.description);
    expect(lines[0]).toMatch(/^• \*CRITICAL\* `root-access-key`/);
    const alice = lines.find((l) => l.includes('`alice`'));
    for (const fact of ['*HIGH*', '`key-too-old`', '`AKIA…MPLE`', '134 days', 'overdue by 44 days']) {
      expect(alice).toContain(fact);
    }
    expect(alice).toContain('last used 2026-10-02 via s3 in eu-west-2');
    expect(lines.find((l) => l.includes('two-active-keys'))).toContain('old key still in use');
  });

  it('does list failed accounts prominently and not again as findings', () => {
    const description = notification.content.description;
    expect(description).toContain('*1 account could not be scanned (keys unknown):*');
    expect(description).toContain(`• \`${BROKEN}\` AccessDenied`);
    expect(findingLines(description).some((l) => l.includes('account-unreachable'))).toBe(false);
  });

  it('does count exempt findings without listing them', () => {
    expect(notification.content.description).toContain('_Exempt (not counted): 1._');
    expect(notification.content.description).not.toContain('vendor-sync');
  });

  it('does give next steps for the rules present, and tell 2nd line first only with production keys', () => {
    expect(notification.content.nextSteps[0]).toMatch(/^root-access-key: /);
    expect(notification.content.nextSteps).not.toContain(PRODUCTION_LEGEND);
    expect(notification.content.keywords).toContain('key-audit');
    const prod = inProduction(keyTooOld());
    const withProduction = renderSlack(makeReport([prod, keyUnused({ accountId: DEV })])).content;
    expect(withProduction.nextSteps.at(-1)).toBe(`Production keys: ${TELL_SECOND_LINE}`);
    expect(findingLines(withProduction.description).find((l) => l.includes('`alice`'))).toContain(
      ' · production',
    );
    expect(findingLines(withProduction.description).find((l) => l.includes('ci-deployer'))).not.toContain(
      'production',
    );
  });

  it('does keep angle brackets out of the text so Slack cannot read them as links or mentions', () => {
    const hostile = renderSlack(makeReport([keyTooOld({ owner: '<!channel> *all* <https://evil|click>' })]));
    expect(hostile.content.description).not.toMatch(/[<>]/);
    expect(slackSafe('<@U123>')).toBe('‹@U123›');
  });

  it('does summarise a 500-finding report within the default 3,500 characters', () => {
    const { description } = renderSlack(big).content;
    expect(description.length).toBeLessThanOrEqual(3_500);
    expect(findingLines(description)).toHaveLength(10);
    expect(description).toMatch(/_Not listed: [\d,]+ findings\. By rule: /);
    expect(description).toMatch(/_By account: .*, and \d+ other accounts\._/);
  });

  it.each([300, 1_000, 2_000, 3_500, 10_000])(
    'does keep a 500-finding description within %i characters, in whole lines only',
    (maxDescriptionChars) => {
      const { description } = renderSlack(big, { maxDescriptionChars, maxFindings: 40 }).content;
      expect(description.length).toBeLessThanOrEqual(maxDescriptionChars);
      const everyLine = new Set(
        renderSlack(big, { maxDescriptionChars: 1e9, maxFindings: 1e9 }).content.description.split('\n'),
      );
      for (const line of findingLines(description)) expect(everyLine.has(line)).toBe(true);
    },
  );

  it('does account for every finding: listed plus not listed equals the findings to act on', () => {
    const { description } = renderSlack(big, { maxFindings: 25, maxDescriptionChars: 20_000 }).content;
    const listed = findingLines(description).length;
    const notListed = Number(description.match(/_Not listed: ([\d,]+) findings/)?.[1]?.replace(/,/g, ''));
    const unreachable = big.findings.filter((f) => f.rule === 'account-unreachable').length;
    const actionable = big.findings.filter((f) => !f.exempt).length - unreachable;
    expect(listed).toBe(25);
    expect(listed + notListed).toBe(actionable);
    expect(description).toContain(`*Top 25 of ${actionable} findings:*`);
  });

  it('does say there is nothing to act on when the report is clean', () => {
    const clean = renderSlack(makeReport([], { accounts: [scanned(PROD)] }));
    expect(clean.content.description.split('\n').at(-1)).toBe('Nothing to act on.');
    expect(clean.content.nextSteps).toEqual([]);
  });

  it('does refuse a description budget too small for the essentials', () => {
    expect(() => renderSlack(report, { maxDescriptionChars: 100 })).toThrow(RangeError);
  });

  it('does title alerts and thread them apart from reports', () => {
    const alert = renderSlack(makeReport([keyTooOld({ ageDays: 90 })]), {
      kind: 'alert',
      newSince: new Date(AS_OF.getTime() - DAY_MS),
    });
    expect(alert.content.title).toMatch(/^key-audit ALERT: 1 new high in /);
    expect(alert.metadata.eventType).toBe('KeyAuditAlert');
    expect(alert.metadata.threadId).not.toBe(notification.metadata.threadId);
    expect(findingLines(alert.content.description)[0]).toContain('_new_');
  });
});

describe('renderSlack with a history and enforcement', () => {
  const alice = report.findings.find((f) => f.userName === 'alice');
  const trended = withTrend(report, { new: [alice?.id ?? ''], resolved: ['x', 'y'], previousViolations: 8 });
  const rich = renderSlack({
    ...trended,
    actions: everyAction(),
    newExemptions: [
      {
        accountId: DEV,
        userName: 'vendor-sync',
        until: '2026-12-31',
        reason: 'vendor integration',
        source: 'tag',
      },
    ],
    storedAt: { uri: 's3://history/reports/report/x.json', consoleUrl: 'https://console.example/x' },
  });
  const lines = rich.content.description.split('\n');

  it('does say the trend in the title, a line of its own and the context', () => {
    expect(rich.content.title).toMatch(/^key-audit: 7 violations \(8 on 2026-11-08\): 1 new, 2 resolved; /);
    expect(lines).toContain('*Trend:* 7 violations (8 on 2026-11-08): 1 new, 2 resolved');
    expect(rich.metadata.additionalContext).toMatchObject({
      previousAsOf: '2026-11-08T06:00:00.000Z',
      previousViolations: '8',
      new: '1',
      resolved: '2',
    });
    expect(findingLines(rich.content.description).find((l) => l.includes('`alice`'))).toContain('_new_');
  });

  it('does say nothing of a trend without one, nor new on the first run with a history', () => {
    expect(notification.content.description).not.toContain('*Trend:*');
    expect(notification.metadata.additionalContext).not.toHaveProperty('previousAsOf');
    const first = renderSlack(withTrend(report, 'first-run')).content;
    expect(first.title).toBe(notification.content.title);
    expect(first.description).not.toContain('_new_');
  });

  it('does list actions, failed first, a deactivation with its undo command', () => {
    const start = lines.indexOf('*Actions:* 1 failed, 2 done, 2 planned, 1 skipped');
    expect(start).toBeGreaterThan(-1);
    expect(lines[start + 1]).toMatch(/^• \*FAILED\* deactivate AKIAFAILEDKEY0000001 of denied-user/);
    expect(lines[start + 2]).toContain(
      `· undo: \`${reactivateCommand('ci-deployer', 'AKIAJUNUSEDKEY000001')}\``,
    );
    expect(lines[start + 3]).toMatch(/^• \*DONE\* delete AKIADELETEDKEY000001 .*after deactivation\)$/);
    expect(lines[start + 6]).toBe('• and 1 more action');
  });

  it('does list new exemptions and say where the complete report is', () => {
    expect(lines).toContain('*New exemptions since the last report:* 1');
    expect(rich.content.description).toContain(
      '• vendor-sync in 222222222222: exempt until 2026-12-31 (tag):',
    );
    expect(lines).toContain(
      '*Complete report:* `s3://history/reports/report/x.json` https://console.example/x',
    );
  });

  it('does keep a rich description within a small budget, in whole lines', () => {
    const small = renderSlack({ ...trended, actions: everyAction() }, { maxDescriptionChars: 300 }).content;
    expect(small.description.length).toBeLessThanOrEqual(300);
  });
});
