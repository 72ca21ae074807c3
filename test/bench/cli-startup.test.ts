import { describe, expect, it } from 'vitest';
import {
  CLI_STARTUP_BUDGET_MS,
  type CliStartupMeasurement,
  renderCliStartup,
  withCliStartupSection,
} from '../../bench/cli-startup.ts';

const measurement = (cliMedianMs: number): CliStartupMeasurement => ({
  runs: 3,
  cliMs: [cliMedianMs - 5, cliMedianMs, cliMedianMs + 5],
  cliMedianMs,
  nodeMs: [40, 45, 50],
  nodeMedianMs: 45,
  withinBudget: cliMedianMs <= CLI_STARTUP_BUDGET_MS,
});

describe('renderCliStartup', () => {
  it.each([
    [CLI_STARTUP_BUDGET_MS, 'PASS'],
    [CLI_STARTUP_BUDGET_MS + 1, 'FAIL'],
  ])('does give the median %i ms the verdict %s', (median, verdict) => {
    const section = renderCliStartup(measurement(median), '2026-12-01');
    expect(section).toContain(
      `| \`key-audit --help\` | ${median} | <= ${CLI_STARTUP_BUDGET_MS} ms: ${verdict} |`,
    );
    expect(section).toContain('| `node -e 0` (Node.js alone) | 45 | |');
  });
});

describe('withCliStartupSection', () => {
  it('does append the section when the document has none, and replace it when it has one', () => {
    const first = withCliStartupSection('# Performance\n', renderCliStartup(measurement(90), '2026-12-01'));
    expect(first.startsWith('# Performance\n\n<!-- cli-startup')).toBe(true);
    const second = withCliStartupSection(first, renderCliStartup(measurement(95), '2026-12-02'));
    expect(second).not.toContain('| 90 |');
    expect(second).toContain('| 95 |');
    expect(second.match(/## CLI start-up/g)).toHaveLength(1);
  });
});
