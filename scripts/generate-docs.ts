/**
 * Regenerates the README sections that come from code: the rules table (rule catalogue), the CLI options
 * (option specs) and the deployment configuration (CDK config). `npm run docs` writes them; the test
 * `test/scripts/readme.test.ts` fails when the README is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderOptionsTable } from '../bin/cli/option-specs.ts';
import { SECURITY_HUB_IMPORT_PERMISSIONS } from '../lambda/aws/security-hub.ts';
import { renderRulesTable } from '../lambda/domain/rules-table.ts';
import { DEFAULT_CONFIG } from '../lib/config.ts';
import { renderConfigTable } from '../lib/config-table.ts';
import { MEMBER_ROLE_ACTIONS } from '../lib/member-role.ts';
import { DEACTIVATE_PERMISSIONS, DELETE_PERMISSIONS } from '../lib/remediation-role.ts';

const EXAMPLES = new URL('../docs/examples/', import.meta.url);

/**
 * The opening of the demo's weekly email, as people receive it (docs/examples is kept fresh by a test): up
 * to the end of the first group of findings.
 */
const emailExample = (): string => {
  const lines = readFileSync(new URL('report-email.txt', EXAMPLES), 'utf8').split('\n');
  const firstGroup = lines.findIndex((line) => /^ {2}(Account|Owner) /.test(line));
  const firstGroupEnd = lines.findIndex((line, i) => i > firstGroup && line === '');
  return [
    '```text',
    ...lines.slice(0, firstGroup === -1 || firstGroupEnd === -1 ? 40 : firstGroupEnd).map((l) => l.trimEnd()),
    '[...]',
    '```',
  ].join('\n');
};

/** The demo's Slack message (AWS Chatbot custom notification): title and the top of the description. */
const slackExample = (): string => {
  const notification = JSON.parse(readFileSync(new URL('report-slack.json', EXAMPLES), 'utf8')) as {
    content: { title: string; description: string };
  };
  const description = notification.content.description.split('\n').slice(0, 8);
  return ['```text', notification.content.title, ...description, '[...]', '```'].join('\n');
};

/**
 * The member-account roles' permissions: the read-only role's IAM actions, those Security Hub import adds
 * to it, then the remediation role's (deployed only when enforcement is `apply`).
 */
const memberRolePermissions = (): string => {
  const readOnly = `\`${DEFAULT_CONFIG.roleName}\``;
  const remediation = `\`${DEFAULT_CONFIG.remediationRoleName}\``;
  const apply = '`enforcement.mode: apply` or `--enforce apply`';
  return [
    '| role | actions | when | why |',
    '|---|---|---|---|',
    `| ${readOnly} | ${MEMBER_ROLE_ACTIONS.map((a) => `\`${a}\``).join(', ')} | always | read users, access keys, their last use and tags, and the credential report |`,
    ...Object.entries(SECURITY_HUB_IMPORT_PERMISSIONS).map(
      ([action, why]) =>
        `| ${readOnly} | \`${action}\` | \`securityHub: true\` or \`--publish-securityhub\` | ${why} |`,
    ),
    ...Object.entries(DEACTIVATE_PERMISSIONS).map(
      ([action, why]) => `| ${remediation} | \`${action}\` on the account's users | ${apply} | ${why} |`,
    ),
    ...Object.entries(DELETE_PERMISSIONS).map(
      ([action, why]) =>
        `| ${remediation} | \`${action}\` on the account's users | ${apply}, and \`enforcement.deleteAfterDays\` set | ${why} |`,
    ),
  ].join('\n');
};

/** Generated sections, by marker name. */
export const GENERATED_SECTIONS: Readonly<Record<string, () => string>> = {
  rules: renderRulesTable,
  'cli-options': renderOptionsTable,
  'cdk-config': renderConfigTable,
  'member-role-permissions': memberRolePermissions,
  'example-email': emailExample,
  'example-slack': slackExample,
};

/** `text` with every `<!-- generated:NAME -->…<!-- /generated:NAME -->` section replaced. */
export const regenerate = (text: string): string => {
  let out = text;
  for (const [name, render] of Object.entries(GENERATED_SECTIONS)) {
    const pattern = new RegExp(`(<!-- generated:${name} -->\\n)[\\s\\S]*?(<!-- /generated:${name} -->)`);
    if (!pattern.test(out)) throw new Error(`README.md: marker <!-- generated:${name} --> not found`);
    out = out.replace(pattern, (_m, open: string, close: string) => `${open}${render().trimEnd()}\n${close}`);
  }
  return out;
};

export const README = fileURLToPath(new URL('../README.md', import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const before = readFileSync(README, 'utf8');
  const after = regenerate(before);
  if (after !== before) writeFileSync(README, after);
  process.stdout.write(after === before ? 'README.md is up to date\n' : 'README.md regenerated\n');
}
