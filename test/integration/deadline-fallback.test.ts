/**
 * Accounts the run has no time for, and credential reports that never complete, against moto: accounts not
 * reached before the deadline become `account-unreachable` findings (cause deadline) and are alerted like
 * any unreachable account; a report that does not complete in time is replaced by the IAM API for that
 * account. moto completes every report on the second request, so the "never completes" case holds back
 * GenerateCredentialReport's answer in a client middleware; every other call reaches moto.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runLiveAudit } from '../../lambda/app/run-audit.ts';
import { type AwsClients, createAwsClients } from '../../lambda/aws/client-factory.ts';
import { DEFAULT_POLICY } from '../../lambda/domain/policy.ts';
import { UNREACHABLE_REMEDIATION } from '../../lambda/domain/unreachable-cause.ts';
import { createHandler, defaultDeps } from '../../lambda/handler.ts';
import type { JsonReport } from '../../lambda/present/render/json.ts';
import { lambdaContext, recordingLogger, recordingMetrics } from '../app/job-fakes.ts';
import { motoAvailable, motoEndpoint, motoEnv, resetMoto } from './moto.ts';
import { type SeededOrganisation, seedOrganisation } from './seed-organisation.ts';
import { drain, type Subscribed, topicWithQueues } from './sns-sqs.ts';

/** `clients` whose IAM clients always hear that the credential report is still being generated. */
const reportNeverCompletes = (clients: AwsClients): AwsClients => ({
  ...clients,
  iam: (accountId, credentials) => {
    const iam: IAMClient = clients.iam(accountId, credentials);
    iam.middlewareStack.add(
      (next, context) => async (args) =>
        context.commandName === 'GenerateCredentialReportCommand'
          ? { output: { State: 'INPROGRESS', $metadata: {} }, response: {} }
          : next(args),
      { step: 'initialize', name: 'reportNeverCompletes' },
    );
    return iam;
  },
});

describe.runIf(motoAvailable())('deadline and credential report fallback against moto', () => {
  let endpoint = '';
  let org: SeededOrganisation;
  let alerts: Subscribed;
  let accountIds: string[] = [];

  beforeAll(async () => {
    endpoint = motoEndpoint() ?? '';
    await resetMoto(endpoint);
    for (const [name, value] of Object.entries(motoEnv(endpoint))) vi.stubEnv(name, value);
    vi.stubEnv('AWS_PROFILE', undefined);
    org = await seedOrganisation(endpoint, { accounts: 3, usersPerAccount: 5 });
    accountIds = org.accounts.map((account) => account.accountId);
    alerts = await topicWithQueues(endpoint, 'key-audit-alerts', { 'alerts-all': null });
  });

  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('does report the accounts not reached before the deadline as unreachable, cause deadline', async () => {
    // One account at a time; the clock passes the deadline as soon as the first account is done.
    let late = false;
    const deadline = Date.now() + 600_000;
    const { report, scan } = await runLiveAudit(
      { kind: 'accounts', accountIds },
      {
        asOf: new Date(),
        policy: DEFAULT_POLICY,
        source: 'api',
        concurrency: 1,
        deadline: new Date(deadline),
        now: () => (late ? deadline + 1 : Date.now()),
        onProgress: (progress) => {
          if (progress.event === 'account') late = true;
        },
      },
    );
    const [first, ...rest] = accountIds;
    expect(scan.accountsNotScanned).toEqual(rest);
    expect(report.accounts.map((a) => [a.accountId, a.status])).toEqual([
      [first, 'scanned'],
      ...rest.map((accountId) => [accountId, 'failed']),
    ]);
    const unreachable = report.findings.filter((f) => f.rule === 'account-unreachable');
    expect(unreachable.map((f) => f.accountId).sort()).toEqual([...rest].sort());
    for (const finding of unreachable) {
      expect(finding.remediation).toBe(UNREACHABLE_REMEDIATION.deadline);
      expect(finding.message).toContain("Deadline: not reached before the run's time limit");
    }
    expect(report.incomplete?.accountsNotScanned).toEqual(rest);
  });

  it('does alert every account the Lambda had no time for, like any unreachable account', async () => {
    await drain(endpoint, alerts.queues['alerts-all'] ?? '');
    const handler = createHandler({
      ...defaultDeps({
        ...motoEnv(endpoint),
        KEY_AUDIT_ACCOUNTS: accountIds.join(','),
        KEY_AUDIT_REPORT_TOPIC_ARN: alerts.topicArn,
        KEY_AUDIT_ALERT_TOPIC_ARN: alerts.topicArn,
      }),
      logger: recordingLogger(),
      metrics: recordingMetrics(),
    });
    const summary = await handler({ job: 'alerts' }, lambdaContext(0));
    expect(summary).toMatchObject({ accounts: 3, failed: 3, notScanned: 3, incomplete: true, alerts: 3 });
    const envelopes = await drain(endpoint, alerts.queues['alerts-all'] ?? '');
    const alerted = envelopes.map((envelope) => (JSON.parse(envelope.Message) as JsonReport).findings[0]);
    expect(alerted.map((f) => [f?.rule, f?.accountId]).sort()).toEqual(
      accountIds.map((accountId) => ['account-unreachable', accountId]).sort(),
    );
    expect(alerted.every((f) => f?.remediation === UNREACHABLE_REMEDIATION.deadline)).toBe(true);
  });

  it('does read an account through the IAM API when its credential report does not complete in time', async () => {
    const options = { asOf: new Date(), policy: DEFAULT_POLICY, concurrency: 3 };
    const fallen = await runLiveAudit(
      { kind: 'accounts', accountIds },
      {
        ...options,
        source: 'report',
        clients: reportNeverCompletes(createAwsClients()),
        reportPolling: { maxWaitMs: 40, pollDelayMs: 10 },
      },
    );
    const api = await runLiveAudit({ kind: 'accounts', accountIds }, { ...options, source: 'api' });
    for (const account of fallen.report.accounts) {
      expect(account).toMatchObject({
        status: 'scanned',
        source: 'api',
        users: 5,
        fallback: {
          from: 'credential-report',
          reason: expect.stringMatching(/^ReportTimeout: credential report of account \d{12} not ready/),
        },
      });
    }
    expect(fallen.report.findings).toEqual(api.report.findings);
    expect(fallen.report.summary.failedAccounts).toBe(0);
  });
});
