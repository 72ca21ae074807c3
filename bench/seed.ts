/**
 * Seeds the benchmark's organisation in moto with the shared seeder (test/integration/seed-organisation.ts):
 * the organisation and accounts through `seedOrganisation`, then every account's users through
 * `seedUsers`, several accounts at a time. moto handles requests one thread per connection under
 * Python's GIL, so a few accounts with a few users each in flight keep it busy without queueing.
 */
import { boundedMap } from '../lambda/aws/bounded-map.ts';
import { memberIamClient, seedOrganisation, seedUsers } from '../test/integration/seed-organisation.ts';
import { benchUserSpec, flaggedUserCount } from './user-mix.ts';

/** One seeded member account. */
export interface SeededBenchAccount {
  readonly accountId: string;
  readonly users: number;
  readonly keys: number;
  readonly flaggedUsers: number;
}

/** A seeded organisation and how long seeding took. */
export interface SeededBenchOrganisation {
  readonly managementAccountId: string;
  readonly accounts: readonly SeededBenchAccount[];
  readonly seedingMs: number;
}

/** What to seed. */
export interface BenchSeedOptions {
  readonly accounts: number;
  readonly usersPerAccount: number;
  readonly staleShare: number;
  /** Accounts seeded at once. @default 4 */
  readonly parallelAccounts?: number;
  /** Users seeded at once within an account. @default 4 */
  readonly userConcurrency?: number;
}

/** Seeds the organisation in an empty moto (reset it first). */
export const seedBenchOrganisation = async (
  endpoint: string,
  options: BenchSeedOptions,
): Promise<SeededBenchOrganisation> => {
  const started = performance.now();
  const org = await seedOrganisation(endpoint, { accounts: options.accounts, usersPerAccount: 0 });
  const specs = Array.from({ length: options.usersPerAccount }, (_, index) =>
    benchUserSpec(index, options.staleShare),
  );
  const parallelUsers = options.userConcurrency ?? 4;
  const accounts = await boundedMap(org.accounts, options.parallelAccounts ?? 4, async (account) => {
    const iam = await memberIamClient(endpoint, account.accountId);
    const users = await seedUsers(endpoint, iam, specs, parallelUsers);
    return {
      accountId: account.accountId,
      users: users.length,
      keys: users.reduce((sum, user) => sum + user.keys.length, 0),
      flaggedUsers: flaggedUserCount(options.usersPerAccount, options.staleShare),
    };
  });
  return { managementAccountId: org.managementAccountId, accounts, seedingMs: performance.now() - started };
};
