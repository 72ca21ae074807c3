import {
  BatchImportFindingsCommand,
  GetFindingsCommand,
  InvalidAccessException,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import type { InputSelection } from '../../bin/cli/parse-args.ts';
import {
  describeImport,
  describeImportStart,
  importFromCli,
  MAX_ACCOUNTS_LISTED,
} from '../../bin/cli/publish-securityhub.ts';
import type { AccountImport } from '../../lambda/app/import-findings.ts';
import { BROKEN, DEV, keyTooOld, keyUnused, makeReport, PROD } from '../present/render/report-factory.ts';

const REGION = 'eu-west-2';
const LIVE: InputSelection = {
  kind: 'live',
  source: 'report',
  accounts: { mode: 'accounts', accountIds: [PROD, DEV] },
  roleName: 'KeyAuditReadOnly',
  concurrency: 4,
};
const report = makeReport([
  keyTooOld({ accountId: PROD }),
  keyUnused({ accountId: PROD }),
  keyTooOld({ accountId: DEV }),
]);

const setup = () => {
  const clients = new Map<string, SecurityHubClient>();
  const mocks = new Map<string, ReturnType<typeof mockClient>>();
  const clientOf = (accountId: string): SecurityHubClient => {
    let client = clients.get(accountId);
    if (client === undefined) {
      client = new SecurityHubClient({ region: REGION });
      const mock = mockClient(client);
      mock.on(GetFindingsCommand).resolves({ Findings: [] });
      mock.on(BatchImportFindingsCommand).resolves({ FailedCount: 0, SuccessCount: 0, FailedFindings: [] });
      clients.set(accountId, client);
      mocks.set(accountId, mock);
    }
    return client;
  };
  let text = '';
  return {
    mockOf: (accountId: string) => {
      clientOf(accountId);
      return mocks.get(accountId) as ReturnType<typeof mockClient>;
    },
    deps: {
      region: REGION,
      clients: (accountId: string) => clientOf(accountId),
      credentials: async () => undefined,
      sleep: async () => {},
    },
    stderr: { write: (chunk: string) => (text += chunk) },
    get text() {
      return text;
    },
  };
};

const account = (overrides: Partial<AccountImport> & Pick<AccountImport, 'accountId'>): AccountImport => ({
  imported: 0,
  archived: 0,
  resolved: true,
  failures: [],
  error: null,
  ...overrides,
});

describe('importFromCli', () => {
  it('does nothing without --publish-securityhub', async () => {
    const world = setup();
    await expect(
      importFromCli({ publishSecurityHub: false, input: LIVE }, report, [], world.stderr, world.deps),
    ).resolves.toBe(true);
    expect(world.text).toBe('');
  });

  it('does announce the import, import every account, and summarise it on stderr', async () => {
    const world = setup();
    const complete = await importFromCli(
      { publishSecurityHub: true, input: LIVE },
      report,
      [],
      world.stderr,
      world.deps,
    );
    expect(complete).toBe(true);
    expect(world.text).toBe(
      `key-audit: importing 3 findings into Security Hub (${REGION}) in accounts ${PROD}, ${DEV}\n` +
        'key-audit: Security Hub: 3 findings imported, 0 archived in 2 accounts\n',
    );
    expect(world.mockOf(PROD).commandCalls(BatchImportFindingsCommand)).toHaveLength(1);
    expect(world.mockOf(DEV).commandCalls(BatchImportFindingsCommand)).toHaveLength(1);
  });

  it('does return false, naming the account and the reason, when an account is refused', async () => {
    const world = setup();
    world
      .mockOf(DEV)
      .on(GetFindingsCommand)
      .rejects(new InvalidAccessException({ message: 'not subscribed', $metadata: {} }));
    const complete = await importFromCli(
      { publishSecurityHub: true, input: LIVE },
      report,
      [],
      world.stderr,
      world.deps,
    );
    expect(complete).toBe(false);
    expect(world.text.split('\n').slice(1)).toEqual([
      `key-audit: Security Hub ${DEV}: not imported: InvalidAccessException: Security Hub GetFindings failed: not subscribed`,
      'key-audit: Security Hub: 2 findings imported, 0 archived in 2 accounts; 1 account incomplete',
      '',
    ]);
  });
});

describe('describeImportStart', () => {
  it('does count the accounts instead of listing them when there are many', () => {
    const many = makeReport(
      Array.from({ length: MAX_ACCOUNTS_LISTED + 1 }, (_, i) =>
        keyTooOld({ accountId: String(100000000000 + i) }),
      ),
    );
    expect(describeImportStart(many, REGION)).toBe(
      `key-audit: importing 11 findings into Security Hub (${REGION}) in 11 accounts\n`,
    );
    expect(describeImportStart(makeReport([keyTooOld()]), REGION)).toBe(
      `key-audit: importing 1 finding into Security Hub (${REGION}) in account ${PROD}\n`,
    );
  });
});

describe('describeImport', () => {
  it('does name findings not imported and accounts where nothing was archived', () => {
    const text = describeImport({
      region: REGION,
      complete: false,
      accounts: [
        account({
          accountId: PROD,
          imported: 4,
          archived: 2,
          failures: [{ id: 'key-too-old:x', code: 'InvalidInput', message: 'too large' }],
        }),
        account({ accountId: BROKEN, imported: 1, resolved: false }),
      ],
    });
    expect(text).toBe(
      `key-audit: Security Hub ${PROD}: 1 finding not imported: key-too-old:x: InvalidInput: too large\n` +
        'key-audit: Security Hub: 5 findings imported, 2 archived in 2 accounts; 1 account incomplete; ' +
        'nothing archived in 1 account that could not be scanned\n',
    );
  });
});
