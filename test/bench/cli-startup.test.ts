import { describe, expect, it } from 'vitest';
import {
  CLI_STARTUP_BUDGET_MS,
  type CliStartupMeasurement,
  renderCliStartup,
  withCliStartupSection,
} from '../../bench/cli-startup.ts';

const times = (cliMedianMs: number, nodeMedianMs: number) => ({
  cliMs: [cliMedianMs - 5, cliMedianMs, cliMedianMs + 5],
  cliMedianMs,
  nodeMs: [nodeMedianMs - 5, nodeMedianMs, nodeMedianMs + 5],
  nodeMedianMs,
});

const measurement = (cliMedianMs: number): CliStartupMeasurement => ({
  runs: 3,
  clean: times(cliMedianMs, 45),
  withinBudget: cliMedianMs <= CLI_STARTUP_BUDGET_MS,
});

describe('renderCliStartup', () => {
  it.each([
    [CLI_STARTUP_BUDGET_MS, 'PASS'],
    [CLI_STARTUP_BUDGET_MS + 1, 'FAIL'],
  ])('does give the median %i ms the verdict %s', (median, verdict) => {
    const section = renderCliStartup(measurement(median), '2026-12-01');
    expect(section).toContain(
      `| clean | ${median} | 45 | ${verdict} (budget <= ${CLI_STARTUP_BUDGET_MS} ms) |`,
    );
    expect(section).not.toContain('as set here');
  });

  it('does add the figures of this environment when it sets variables that slow every start', () => {
    const section = renderCliStartup(
      { ...measurement(70), inherited: { ...times(160, 120), variables: ['NODE_EXTRA_CA_CERTS'] } },
      '2026-12-01',
    );
    expect(section).toContain('| as set here (NODE_EXTRA_CA_CERTS) | 160 | 120 | for reference |');
  });
});

describe('withCliStartupSection', () => {
  it('does append the section when the document has none, and replace it when it has one', () => {
    const first = withCliStartupSection('# Performance\n', renderCliStartup(measurement(90), '2026-12-01'));
    expect(first.startsWith('# Performance\n\n<!-- cli-startup')).toBe(true);
    const second = withCliStartupSection(first, renderCliStartup(measurement(95), '2026-12-02'));
    expect(second).not.toContain('| clean | 90 |');
    expect(second).toContain('| clean | 95 |');
    expect(second.match(/## CLI start-up/g)).toHaveLength(1);
  });
});
