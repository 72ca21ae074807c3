/**
 * `--profile NAME`: the SDK loads the profile itself (the clients get `profile`), but a name it cannot
 * find only surfaces later as "Could not load credentials from any providers". Checking the shared files
 * first turns a typo into one line naming the profile and the files looked in.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../lambda/domain/errors.ts';

/** Where the SDK reads profiles: AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, else `~/.aws/`. */
export const sharedFiles = (
  env: Readonly<Record<string, string | undefined>>,
  home: string,
): { readonly config: string; readonly credentials: string } => ({
  config: env.AWS_CONFIG_FILE || join(home, '.aws', 'config'),
  credentials: env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials'),
});

/** The section names of an INI file, or none when the file does not exist. */
const sections = async (path: string): Promise<string[]> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new InputError(`${path}: cannot read: ${(error as Error).message}`, { cause: error });
  }
  return [...text.matchAll(/^\s*\[([^\]]+)\]\s*$/gm)].map((match) => (match[1] ?? '').trim());
};

/**
 * The profile names the shared files define: `[profile NAME]` (and `[default]`) in the config file,
 * `[NAME]` in the credentials file.
 */
export const profileNames = async (
  env: Readonly<Record<string, string | undefined>>,
  home: string = homedir(),
): Promise<ReadonlySet<string>> => {
  const files = sharedFiles(env, home);
  const fromConfig = (await sections(files.config)).flatMap((section) => {
    if (section === 'default') return ['default'];
    const named = /^profile\s+(.+)$/.exec(section);
    return named?.[1] === undefined ? [] : [named[1].trim()];
  });
  return new Set([...fromConfig, ...(await sections(files.credentials))]);
};

/** Throws an `InputError` naming `profile` and the files when neither defines it. */
export const checkProfile = async (
  profile: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
  home: string = homedir(),
): Promise<void> => {
  if ((await profileNames(env, home)).has(profile)) return;
  const files = sharedFiles(env, home);
  const shown = (path: string): string =>
    path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path;
  throw new InputError(
    `profile "${profile}" not found in ${shown(files.config)} or ${shown(files.credentials)}`,
  );
};
