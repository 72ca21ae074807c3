import { readFile } from 'node:fs/promises';
import { parseCredentialReport } from '../../lambda/domain/credential-report.ts';
import { InputError } from '../../lambda/domain/errors.ts';
import type { ScannedAccount } from '../../lambda/domain/inventory.ts';

/** Reads a file as UTF-8, turning file-system errors into one-line InputErrors naming the file. */
export const readTextFile = async (file: string): Promise<string> => {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (error as Error).message;
    throw new InputError(`${file}: cannot read: ${why}`, { cause: error });
  }
};

/**
 * Turns downloaded credential reports into scanned accounts, one per file. Two files of the same account
 * are refused: silently merging or picking one would hide keys.
 */
export const readCredentialReportFiles = async (files: readonly string[]): Promise<ScannedAccount[]> => {
  const accounts: ScannedAccount[] = [];
  const fileOfAccount = new Map<string, string>();
  for (const file of files) {
    const parsed = parseCredentialReport(await readTextFile(file), file);
    if (parsed.accountId === '') {
      // A header-only report names no ARN; guessing the account would report on the wrong one.
      throw new InputError(`${file}: the report has no rows, so its account id is unknown`);
    }
    const earlier = fileOfAccount.get(parsed.accountId);
    if (earlier !== undefined) {
      throw new InputError(
        `${file}: account ${parsed.accountId} is also in ${earlier}; give one report per account`,
      );
    }
    fileOfAccount.set(parsed.accountId, file);
    accounts.push({
      accountId: parsed.accountId,
      status: 'scanned',
      source: 'credential-report',
      users: parsed.users,
      root: parsed.root,
    });
  }
  return accounts;
};
