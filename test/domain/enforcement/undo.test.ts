import { describe, expect, it } from 'vitest';
import { shellWord, undoCommand } from '../../../lambda/domain/enforcement/undo.ts';

describe('undoCommand', () => {
  it('re-activates exactly the deactivated key', () => {
    expect(
      undoCommand({ type: 'deactivate', userName: 'ci-deploy', accessKeyId: 'AKIAIOSFODNN7EXAMPLE' }),
    ).toBe(
      'aws iam update-access-key --user-name ci-deploy --access-key-id AKIAIOSFODNN7EXAMPLE --status Active',
    );
  });

  it.each([
    ['delete', 'AKIAIOSFODNN7EXAMPLE'],
    ['notice', 'AKIAIOSFODNN7EXAMPLE'],
    ['deactivate', null],
  ] as const)('has none for a %s of key %s', (type, accessKeyId) => {
    expect(undoCommand({ type, userName: 'alice', accessKeyId })).toBeNull();
  });
});

describe('shellWord', () => {
  it.each([
    ['alice', 'alice'],
    ['svc+deploy=1,a.b@c-d_e', 'svc+deploy=1,a.b@c-d_e'],
    ['two words', "'two words'"],
    ["it's", "'it'\\''s'"],
    ['$(rm -rf /)', "'$(rm -rf /)'"],
  ])('quotes %s only when needed', (text, word) => {
    expect(shellWord(text)).toBe(word);
  });
});
