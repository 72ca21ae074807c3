/**
 * The naive baseline the benchmark compares key-audit with: what a first script does. One account after
 * another, AssumeRole, ListUsers, then for every user, strictly one call at a time, ListAccessKeys,
 * GetAccessKeyLastUsed for each key and ListUserTags. It uses key-audit's own client factory (same SDK,
 * retries and call counting), so the difference measured is the approach, not the plumbing.
 *
 * Usage: node --import tsx bench/naive-scan.ts ACCOUNT_ID... (AWS configuration from the environment).
 * Prints `{"accounts","users","keys"}` on stdout and the `--stats` table on stderr.
 */
import {
  GetAccessKeyLastUsedCommand,
  ListAccessKeysCommand,
  ListUsersCommand,
  ListUserTagsCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { formatStats } from '../bin/cli/stats.ts';
import { CallCounter, createAwsClients } from '../lambda/aws/client-factory.ts';
import { DEFAULT_ROLE_NAME } from '../lambda/aws/sts-sessions.ts';

const accountIds = process.argv.slice(2);
if (accountIds.length === 0 || accountIds.some((id) => !/^\d{12}$/.test(id))) {
  process.stderr.write('usage: naive-scan.ts ACCOUNT_ID...\n');
  process.exit(1);
}

const counter = new CallCounter();
const clients = createAwsClients({ callCounter: counter });
let users = 0;
let keys = 0;

for (const accountId of accountIds) {
  const { Credentials: session } = await clients.sts().send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${accountId}:role/${DEFAULT_ROLE_NAME}`,
      RoleSessionName: 'key-audit-naive-baseline',
    }),
  );
  if (!session?.AccessKeyId || !session.SecretAccessKey)
    throw new Error(`AssumeRole into ${accountId} gave no credentials`);
  const credentials = {
    accessKeyId: session.AccessKeyId,
    secretAccessKey: session.SecretAccessKey,
    ...(session.SessionToken === undefined ? {} : { sessionToken: session.SessionToken }),
  };
  const iam = clients.iam(accountId, async () => credentials);

  const userNames: string[] = [];
  let marker: string | undefined;
  do {
    const page = await iam.send(new ListUsersCommand({ Marker: marker }));
    for (const user of page.Users ?? []) if (user.UserName) userNames.push(user.UserName);
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker !== undefined);

  for (const userName of userNames) {
    const { AccessKeyMetadata: metadata = [] } = await iam.send(
      new ListAccessKeysCommand({ UserName: userName }),
    );
    for (const key of metadata) {
      await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: key.AccessKeyId }));
      keys += 1;
    }
    await iam.send(new ListUserTagsCommand({ UserName: userName }));
    users += 1;
  }
}

process.stdout.write(`${JSON.stringify({ accounts: accountIds.length, users, keys })}\n`);
process.stderr.write(formatStats(counter.stats()));
