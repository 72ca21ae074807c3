import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, loadPolicy, readConfigFile, withConfig } from '../../bin/cli/load-policy.ts';
import { parseCommandLine, type ScanCommand } from '../../bin/cli/parse-args.ts';
import { DEFAULT_CONFIG } from '../../lambda/config/key-audit-config.ts';
import { DEFAULT_POLICY } from '../../lambda/domain/policy.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'key-audit-config-file-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let count = 0;
const file = async (content: unknown): Promise<string> => {
  count += 1;
  const path = join(dir, `config-${count}.json`);
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

const scan = (...args: string[]): ScanCommand => {
  const parsed = parseCommandLine(['scan', ...args]);
  if (parsed.command !== 'scan') throw new Error('expected scan');
  return parsed;
};

const exemption = { userName: 'ci-*', until: '2030-01-31', reason: 'SEC-1' };

describe('readConfigFile', () => {
  it('reads the flat object cdk.json holds and the older {"policy": {...}} shape alike', async () => {
    const flat = await readConfigFile(await file({ maxKeyAgeDays: 60, exemptions: [exemption] }));
    const nested = await readConfigFile(
      await file({ policy: { maxKeyAgeDays: 60, exemptions: [exemption] } }),
    );
    expect(nested).toEqual(flat);
  });

  it.each([
    ['[1]', /: expected a JSON object/],
    ['{"maxKeyAgeDays": 90,}', /: not valid JSON: /],
    ['{"policy": []}', /: policy: expected an object$/],
    [
      '{"maxKeyAgeDays": 60, "policy": {"maxKeyAgeDays": 30}}',
      /: maxKeyAgeDays: set both at the top level and in "policy"$/,
    ],
  ])('refuses %s naming the file', async (content, message) => {
    const path = await file(content);
    await expect(readConfigFile(path)).rejects.toThrow(message);
    await expect(readConfigFile(path)).rejects.toThrow(path);
  });
});

describe('loadConfig', () => {
  it('accepts deployment-only settings, which the CLI leaves unused', async () => {
    const path = await file({
      reportEmails: ['security@example.com'],
      schedules: { report: { weekDay: 'FRI' } },
      slack: { workspaceId: 'T0123ABCDE', reportChannelId: 'C0123ABCDE' },
      lambda: { memoryMb: 2048 },
    });
    expect(await loadPolicy(path, {})).toEqual(DEFAULT_POLICY);
  });

  it('puts the threshold flags over the file and checks the result once', async () => {
    const path = await file({ maxKeyAgeDays: 60, warnDays: 10 });
    expect(await loadPolicy(path, { warnDays: 20 })).toMatchObject({ maxKeyAgeDays: 60, warnDays: 20 });
    await expect(loadPolicy(path, { warnDays: 60 })).rejects.toThrow(
      `${path}: warnDays: 60 must be less than maxKeyAgeDays (60)`,
    );
    await expect(loadPolicy(undefined, { maxKeyAgeDays: 14 })).rejects.toThrow(
      'command line: warnDays: 14 must be less than maxKeyAgeDays (14)',
    );
  });

  it('names the file and every problem, with a did-you-mean for a typo', async () => {
    const path = await file({ maxKeyAge: 30, concurrency: 0 });
    await expect(loadConfig(path, {})).rejects.toThrow(
      `invalid configuration: ${path}: concurrency: 0 is not a whole number of accounts from 1 to 50; ${path}: maxKeyAge: unknown setting (did you mean maxKeyAgeDays?)`,
    );
  });

  it('returns the defaults without a file', async () => {
    expect(await loadConfig(undefined, {})).toEqual(DEFAULT_CONFIG);
  });
});

describe('withConfig', () => {
  const config = {
    ...DEFAULT_CONFIG,
    accounts: ['111122223333'],
    roleName: 'FileRole',
    concurrency: 8,
    alertSeverity: 'critical' as const,
  };

  it('takes the file’s scan settings where the command line gives none', () => {
    expect(withConfig(scan(), config)).toMatchObject({
      input: {
        kind: 'live',
        accounts: { mode: 'accounts', accountIds: ['111122223333'] },
        roleName: 'FileRole',
        concurrency: 8,
      },
      alertSeverity: 'critical',
    });
  });

  it('keeps what the command line gives over the file', () => {
    const command = scan(
      '--org',
      '--role-name',
      'FlagRole',
      '--publish-alerts',
      'arn:aws:sns:eu-west-2:111122223333:a',
      '--alert-severity',
      'low',
    );
    expect(withConfig(command, config)).toMatchObject({
      input: { accounts: { mode: 'org', ous: [], exclude: [] }, roleName: 'FlagRole', concurrency: 8 },
      alertSeverity: 'low',
    });
  });

  it('reads no live settings for a scan of credential report files', () => {
    const command = scan('--credential-report', 'a.csv');
    expect(withConfig(command, config).input).toEqual({ kind: 'files', files: ['a.csv'] });
  });
});
