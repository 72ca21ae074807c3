import { describe, expect, it } from 'vitest';
import { reactivateCommand } from '../../../lambda/domain/enforcement/undo.ts';
import {
  describeAction,
  describeActionCounts,
  describeNewExemption,
  describeStoredAt,
  orderActions,
  undoOf,
} from '../../../lambda/present/render/describe-run.ts';
import { AS_OF, DEV, everyAction, PROD, reportedAction } from './report-factory.ts';

describe('orderActions', () => {
  it('does put failed first, then done, planned soonest first, then skipped', () => {
    expect(orderActions(everyAction()).map((a) => [a.status, a.userName])).toEqual([
      ['failed', 'denied-user'],
      ['done', 'ci-deployer'],
      ['done', 'old-batch'],
      ['planned', 'plan-mode-user'],
      ['planned', 'later-user'],
      ['skipped', 'capped-user'],
    ]);
  });
});

describe('describeActionCounts', () => {
  it('does count by status in that order, and say none when there is nothing', () => {
    expect(describeActionCounts(everyAction())).toBe('1 failed, 2 done, 2 planned, 1 skipped');
    expect(describeActionCounts([reportedAction()])).toBe('1 done');
    expect(describeActionCounts([])).toBe('none');
  });
});

describe('describeAction', () => {
  it('does name the action, key, user, account, due date and reason', () => {
    expect(describeAction(reportedAction(), AS_OF)).toBe(
      `deactivate AKIAJUNUSEDKEY000001 of ci-deployer in ${PROD}, due 2026-11-15: ` +
        'never used since its creation on 2026-08-01 (deactivated after 90 days unused)',
    );
  });

  it('does say when a planned action will happen, and mark production', () => {
    const later = reportedAction({
      status: 'planned',
      dueAt: new Date('2026-11-22T06:00:00Z'),
      production: true,
    });
    expect(describeAction(later, AS_OF)).toContain(`in ${PROD} (production), on or after 2026-11-22: `);
  });

  it('does say a key without id, which is never acted on', () => {
    expect(describeAction(reportedAction({ accessKeyId: null, status: 'skipped' }), AS_OF)).toMatch(
      /^deactivate a key without id of ci-deployer/,
    );
  });

  it('does keep user names and reasons on one line', () => {
    expect(describeAction(reportedAction({ userName: 'a\nb', reason: 'x\u001b[2Jy' }), AS_OF)).not.toMatch(
      // biome-ignore lint/suspicious/noControlCharactersInRegex: checking control characters are gone
      /[\n\u001b]/,
    );
  });
});

describe('undoOf', () => {
  it.each([
    ['done', 'deactivate', true],
    ['planned', 'deactivate', true],
    ['skipped', 'deactivate', false],
    ['failed', 'deactivate', false],
    ['done', 'delete', false],
  ] as const)('does give a %s %s an undo command: %s', (status, type, has) => {
    const action = reportedAction({ status, type });
    expect(undoOf(action)).toBe(has ? reactivateCommand(action.userName, action.accessKeyId ?? '') : null);
  });

  it('does give none for a key without id', () => {
    expect(undoOf(reportedAction({ accessKeyId: null }))).toBeNull();
  });
});

describe('describeNewExemption', () => {
  it('does name the user, account, end, source and reason', () => {
    expect(
      describeNewExemption({
        accountId: DEV,
        userName: 'vendor-sync',
        until: '2026-12-31',
        reason: 'vendor',
        source: 'config',
      }),
    ).toBe(`vendor-sync in ${DEV}: exempt until 2026-12-31 (config): vendor`);
  });
});

describe('describeStoredAt', () => {
  it('does give the URI, then the console page when there is one', () => {
    expect(describeStoredAt({ uri: 's3://b/k.json', consoleUrl: 'https://console.example/k' })).toEqual([
      'The complete report: s3://b/k.json',
      'In the S3 console: https://console.example/k',
    ]);
    expect(describeStoredAt({ uri: '/var/history/k.json' })).toEqual([
      'The complete report: /var/history/k.json',
    ]);
  });
});
