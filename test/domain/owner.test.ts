import { describe, expect, it } from 'vitest';
import { ownerOf } from '../../lambda/domain/owner.ts';

describe('ownerOf', () => {
  it.each([
    ['key-audit:owner first', { 'key-audit:owner': 'team-a', owner: 'b', Owner: 'c' }, 'team-a'],
    ['owner next', { owner: 'b', Owner: 'c' }, 'b'],
    ['Owner last', { Owner: 'c' }, 'c'],
    ['a blank tag skipped', { 'key-audit:owner': ' ', Owner: 'c' }, 'c'],
    ['trimmed values', { owner: ' ops@example.com ' }, 'ops@example.com'],
    ['null without owner tags', { OWNER: 'x', team: 'y' }, null],
  ])('reads %s', (_label, tags, expected) => {
    expect(ownerOf(tags)).toBe(expected);
  });
});
