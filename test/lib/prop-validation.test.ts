import { describe, expect, it } from 'vitest';
import { propProblem } from '../../lib/prop-validation.ts';

const NAMES = {
  roleName: 'memberRoleName',
  'lambda.memoryMb': 'memorySize',
  'schedules.report': 'reportSchedule',
  ous: 'organisation.ous',
};

describe('propProblem', () => {
  it.each([
    ['key-audit.roleName: "a b" is not an IAM role name', 'memberRoleName: "a b" is not an IAM role name'],
    ['key-audit.lambda.memoryMb: 64 must be an integer', 'memorySize: 64 must be an integer'],
    ['key-audit.schedules.report.hour: 24 must be an integer', 'reportSchedule.hour: 24 must be an integer'],
    ['key-audit.ous[1]: "x" is not an OU id', 'organisation.ous[1]: "x" is not an OU id'],
    ['key-audit.accounts[0]: "1" is not an account id', 'accounts[0]: "1" is not an account id'],
  ])('does name the prop a configuration path comes from: %s', (problem, expected) => {
    expect(propProblem(problem, NAMES)).toBe(expected);
  });

  it.each([
    ['key-audit.roleNames: unknown key', 'roleNames: unknown key'],
    ['key-audit.lambda.memoryMbx: unknown key', 'lambda.memoryMbx: unknown key'],
  ])('does rename whole path segments only: %s', (problem, expected) => {
    expect(propProblem(problem, NAMES)).toBe(expected);
  });

  it('does keep a problem that names no configuration path as it is', () => {
    expect(propProblem('key-audit: must be an object', NAMES)).toBe('key-audit: must be an object');
  });
});
