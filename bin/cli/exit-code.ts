import type { Report } from '../../lambda/domain/report.ts';
import { isAtLeast, type Severity } from '../../lambda/domain/severity.ts';

/** The CLI's exit codes, as `--help` documents them. */
export const EXIT = { ok: 0, usage: 1, violations: 2, incomplete: 3 } as const;

/**
 * 3 when the scan is incomplete (an account failed, or the run stopped early): the other codes could not
 * be trusted then, so it wins. Else 2 when a non-exempt finding is at or above `failOn`, else 0.
 */
export const exitCodeFor = (report: Report, failOn: Severity | 'none'): number => {
  if (report.summary.failedAccounts > 0 || report.incomplete !== undefined) return EXIT.incomplete;
  if (failOn === 'none') return EXIT.ok;
  return report.findings.some((f) => !f.exempt && isAtLeast(f.severity, failOn)) ? EXIT.violations : EXIT.ok;
};
