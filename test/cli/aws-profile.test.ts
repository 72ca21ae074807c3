import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkProfile, profileNames, sharedFiles } from '../../bin/cli/aws-profile.ts';

describe('profileNames', () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'key-audit-profile-'));
    await writeFile(
      join(home, 'config'),
      [
        '[default]',
        'region = eu-west-2',
        '[profile audit]',
        'role_arn = arn:aws:iam::111122223333:role/KeyAuditReadOnly',
        '[ profile  spaced ]',
        '[sso-session corp]',
        'sso_region = eu-west-1',
      ].join('\n'),
    );
    await writeFile(join(home, 'credentials'), '[ci]\naws_access_key_id = AKIAEXAMPLE\n');
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  const env = () => ({
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
  });

  it('lists the profiles of the config file and the credentials file, not other sections', async () => {
    expect([...(await profileNames(env(), home))].sort()).toEqual(['audit', 'ci', 'default', 'spaced']);
  });

  it('finds no profile when neither file exists', async () => {
    expect((await profileNames({}, join(home, 'nowhere'))).size).toBe(0);
  });

  it.each(['audit', 'ci', 'default'])('accepts the defined profile %s', async (name) => {
    await expect(checkProfile(name, env(), home)).resolves.toBeUndefined();
  });

  it('names an unknown profile and the files looked in, in one line', async () => {
    await expect(checkProfile('nope', env(), '/home/me')).rejects.toThrow(
      `profile "nope" not found in ${join(home, 'config')} or ${join(home, 'credentials')}`,
    );
  });

  it('shows the default files under ~ as the AWS CLI documents them', async () => {
    await expect(checkProfile('nope', {}, join(home, 'nowhere'))).rejects.toThrow(
      /^profile "nope" not found in ~\/\.aws\/config or ~\/\.aws\/credentials$/,
    );
  });

  it('reads the files the SDK reads: AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, else ~/.aws', () => {
    expect(sharedFiles({}, '/home/me')).toEqual({
      config: '/home/me/.aws/config',
      credentials: '/home/me/.aws/credentials',
    });
    expect(sharedFiles(env(), '/home/me')).toEqual({
      config: join(home, 'config'),
      credentials: join(home, 'credentials'),
    });
  });
});
