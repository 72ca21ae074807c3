import {
  type AwsSecurityFinding,
  BatchImportFindingsCommand,
  GetFindingsCommand,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { importReportFindings } from '../../lambda/app/import-findings.ts';
import type { CredentialsProvider } from '../../lambda/aws/client-factory.ts';
import { AssumeRoleError } from '../../lambda/aws/sts-sessions.ts';
import type { Report } from '../../lambda/domain/report.ts';
import { toAsffFinding } from '../../lambda/present/asff.ts';
import {
  AS_OF,
  accountUnreachable,
  BROKEN,
  DEV,
  keyTooOld,
  keyUnused,
  makeReport,
  PROD,
  tagExemption,
} from '../present/render/report-factory.ts';

const REGION = 'eu-west-2';
const YESTERDAY = new Date(AS_OF.getTime() - 86_400_000);

/** A credentials provider standing for one account's role session. */
const sessionOf = (accountId: string): CredentialsProvider => {
  const provider = async () => ({ accessKeyId: `key-${accountId}`, secretAccessKey: 'secret' });
  return Object.assign(provider, { accountId });
};

/** One mocked Security Hub per account; `earlier` is what each one already holds (ACTIVE). */
const world = (earlier: Readonly<Record<string, readonly AwsSecurityFinding[]>> = {}) => {
  const hubs = new Map<string, { client: SecurityHubClient; mock: ReturnType<typeof mockClient> }>();
  const sessionsUsed: [string, unknown][] = [];
  const hubOf = (accountId: string) => {
    let hub = hubs.get(accountId);
    if (hub === undefined) {
      const client = new SecurityHubClient({ region: REGION });
      const mock = mockClient(client);
      mock.on(GetFindingsCommand).resolves({ Findings: [...(earlier[accountId] ?? [])] });
      mock.on(BatchImportFindingsCommand).resolves({ FailedCount: 0, SuccessCount: 0, FailedFindings: [] });
      hub = { client, mock };
      hubs.set(accountId, hub);
    }
    return hub;
  };
  return {
    hubOf,
    sessionsUsed,
    options: {
      region: REGION,
      clients: (accountId: string, credentials?: CredentialsProvider) => {
        sessionsUsed.push([accountId, (credentials as { accountId?: string } | undefined)?.accountId]);
        return hubOf(accountId).client;
      },
      credentials: async (accountId: string) => sessionOf(accountId),
      sleep: async () => {},
    },
    /** Findings sent to `accountId`'s Security Hub, every call together. */
    imported: (accountId: string): AwsSecurityFinding[] =>
      hubOf(accountId)
        .mock.commandCalls(BatchImportFindingsCommand)
        .flatMap((c) => c.args[0].input.Findings ?? []),
  };
};

/** A finding as an earlier run imported it. */
const earlierAsff = (finding: Parameters<typeof toAsffFinding>[0]): AwsSecurityFinding =>
  toAsffFinding(finding, YESTERDAY, { region: REGION }) as AwsSecurityFinding;

describe('importReportFindings', () => {
  const prodKey = keyTooOld({ accountId: PROD, userName: 'alice', accessKeyId: 'AKIAPRODALICE0000001' });
  const devKey = keyUnused({ accountId: DEV, userName: 'bob', accessKeyId: 'AKIADEVBOB0000000001' });
  const report: Report = makeReport([prodKey, devKey, accountUnreachable(BROKEN)]);

  it('does import each account’s findings into its own Security Hub through its own session', async () => {
    const w = world();
    const result = await importReportFindings(report, w.options);
    expect(w.sessionsUsed).toEqual([
      [PROD, PROD],
      [DEV, DEV],
      [BROKEN, BROKEN],
    ]);
    expect(w.imported(PROD).map((f) => f.Id)).toEqual([prodKey.id]);
    expect(w.imported(DEV).map((f) => f.Id)).toEqual([devKey.id]);
    expect(w.imported(BROKEN).map((f) => f.Id)).toEqual([`account-unreachable:${BROKEN}`]);
    for (const accountId of [PROD, DEV, BROKEN]) {
      for (const finding of w.imported(accountId)) expect(finding.AwsAccountId).toBe(accountId);
    }
    expect(result).toEqual({
      region: REGION,
      complete: true,
      accounts: [
        { accountId: PROD, imported: 1, archived: 0, resolved: true, failures: [], error: null },
        { accountId: DEV, imported: 1, archived: 0, resolved: true, failures: [], error: null },
        { accountId: BROKEN, imported: 1, archived: 0, resolved: false, failures: [], error: null },
      ],
    });
  });

  it('does archive what a scanned account no longer reports, and nothing in an account not scanned', async () => {
    const rotated = keyTooOld({ accountId: PROD, userName: 'carol', accessKeyId: 'AKIAPRODCAROL0000001' });
    const hidden = keyTooOld({ accountId: BROKEN, userName: 'dave', accessKeyId: 'AKIABROKENDAVE000001' });
    const w = world({
      [PROD]: [earlierAsff(prodKey), earlierAsff(rotated)],
      [BROKEN]: [earlierAsff(hidden)],
    });
    const result = await importReportFindings(report, w.options);
    const sent = w.imported(PROD);
    expect(sent.map((f) => [f.Id, f.RecordState])).toEqual([
      [prodKey.id, 'ACTIVE'],
      [rotated.id, 'ARCHIVED'],
    ]);
    expect(sent[1]?.UpdatedAt).toBe(AS_OF.toISOString());
    expect(w.hubOf(BROKEN).mock.commandCalls(GetFindingsCommand)).toHaveLength(0);
    expect(w.imported(BROKEN).map((f) => f.RecordState)).toEqual(['ACTIVE']);
    expect(result.accounts[0]).toMatchObject({ accountId: PROD, imported: 1, archived: 1 });
  });

  it('does send Workflow only for an exempt finding Security Hub does not hold yet', async () => {
    const exempt = keyTooOld({ accountId: PROD, exemption: tagExemption() });
    const exemptToo = keyUnused({ accountId: PROD, exemption: tagExemption() });
    const w = world({ [PROD]: [earlierAsff(exempt)] });
    await importReportFindings(makeReport([exempt, exemptToo]), w.options);
    expect(w.imported(PROD).map((f) => [f.Id, f.Workflow])).toEqual([
      [`${exempt.id}/exempt-until-2026-12-31`, undefined],
      [`${exemptToo.id}/exempt-until-2026-12-31`, { Status: 'SUPPRESSED' }],
    ]);
  });

  it('does archive the plain finding when an exemption starts, and the exempt one when it ends', async () => {
    const plain = keyTooOld({ accountId: PROD });
    const exempt = { ...plain, exempt: true, exemption: tagExemption() };
    const starting = world({ [PROD]: [earlierAsff(plain)] });
    await importReportFindings(makeReport([exempt]), starting.options);
    expect(starting.imported(PROD).map((f) => [f.Id, f.RecordState, f.Workflow?.Status])).toEqual([
      [`${plain.id}/exempt-until-2026-12-31`, 'ACTIVE', 'SUPPRESSED'],
      [plain.id, 'ARCHIVED', undefined],
    ]);
    const ending = world({ [PROD]: [earlierAsff(exempt)] });
    await importReportFindings(makeReport([plain]), ending.options);
    expect(ending.imported(PROD).map((f) => [f.Id, f.RecordState, f.Workflow?.Status])).toEqual([
      [plain.id, 'ACTIVE', undefined],
      [`${plain.id}/exempt-until-2026-12-31`, 'ARCHIVED', undefined],
    ]);
  });

  it('does report an account it cannot reach and import the others', async () => {
    const w = world();
    const result = await importReportFindings(report, {
      ...w.options,
      credentials: async (accountId) => {
        if (accountId !== DEV) return sessionOf(accountId);
        throw new AssumeRoleError(DEV, `arn:aws:iam::${DEV}:role/KeyAuditReadOnly`, 'AccessDenied', 'denied');
      },
    });
    expect(result.complete).toBe(false);
    expect(result.accounts.map((a) => [a.accountId, a.imported, a.error])).toEqual([
      [PROD, 1, null],
      [DEV, 0, 'AccessDenied: denied'],
      [BROKEN, 1, null],
    ]);
    expect(w.imported(PROD)).toHaveLength(1);
  });

  it('does report findings Security Hub keeps refusing, and count only those it accepted', async () => {
    const w = world();
    w.hubOf(PROD)
      .mock.on(BatchImportFindingsCommand)
      .resolves({
        FailedCount: 1,
        SuccessCount: 0,
        FailedFindings: [{ Id: prodKey.id, ErrorCode: 'InvalidInput', ErrorMessage: 'bad' }],
      });
    const result = await importReportFindings(report, w.options);
    expect(result.complete).toBe(false);
    expect(result.accounts[0]).toEqual({
      accountId: PROD,
      imported: 0,
      archived: 0,
      resolved: true,
      failures: [{ id: prodKey.id, code: 'InvalidInput', message: 'bad' }],
      error: null,
    });
  });

  it('does let an unexpected error through rather than report it as an account failure', async () => {
    const w = world();
    const bug = new TypeError('bug');
    await expect(
      importReportFindings(report, {
        ...w.options,
        credentials: async () => {
          throw bug;
        },
      }),
    ).rejects.toBe(bug);
  });
});
