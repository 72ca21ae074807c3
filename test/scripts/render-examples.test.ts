import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES_DIR, PROJECT_ROOT, renderExamples } from '../../scripts/render-examples.ts';

const committed = join(PROJECT_ROOT, EXAMPLES_DIR);
const REGENERATE = 'out of date: run "tsx scripts/render-examples.ts" and commit docs/examples/';

describe('render-examples', async () => {
  const rendered = await renderExamples();

  it('does render exactly the files committed in docs/examples', () => {
    expect(readdirSync(committed).sort(), REGENERATE).toEqual(Object.keys(rendered).sort());
  });

  it.each(Object.keys(rendered))('does match the committed %s', (name) => {
    expect(readFileSync(join(committed, name), 'utf8'), `${name} ${REGENERATE}`).toBe(rendered[name]);
  });

  it('does render the same output twice (no clock, no randomness)', async () => {
    expect(await renderExamples()).toEqual(rendered);
  });

  it('does show the weekly report and an alert as subscribers receive them', () => {
    expect(rendered['report-email.txt']).toMatch(/^Subject: key-audit: \d+ violations/);
    expect(rendered['alert.txt']).toMatch(/^Subject: key-audit ALERT: /);
    expect(JSON.parse(rendered['report.json'] ?? '')).toMatchObject({ schemaVersion: 1, kind: 'report' });
    expect(JSON.parse(rendered['alert-slack.json'] ?? '')).toMatchObject({
      version: '1.0',
      source: 'custom',
    });
  });
});
