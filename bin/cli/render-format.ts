import type { Report } from '../../lambda/domain/report.ts';
import { renderAsff } from '../../lambda/present/asff.ts';
import { renderCsv } from '../../lambda/present/csv.ts';
import {
  renderEmail,
  renderJson,
  renderMarkdown,
  renderSlackJson,
  renderTable,
} from '../../lambda/present/render/index.ts';
import type { Format } from './parse-args.ts';

/** Where the rendering goes: a terminal gets colour and its width; files and pipes get plain text. */
export interface RenderTarget {
  readonly color: boolean;
  readonly width?: number;
  /** The Security Hub region `asff` names in product ARNs and resources; required for `asff`. */
  readonly region?: string;
}

/** Renders `report` in the `--format` a person asked for, ending with a newline. */
export const renderFormat = (report: Report, format: Format, target: RenderTarget): string => {
  const text = (() => {
    switch (format) {
      case 'table':
        return renderTable(report, { color: target.color, ...(target.width ? { width: target.width } : {}) });
      case 'json':
        return renderJson(report);
      case 'markdown':
        return renderMarkdown(report);
      case 'email': {
        const email = renderEmail(report);
        return `Subject: ${email.subject}\n\n${email.body}`;
      }
      case 'slack':
        return renderSlackJson(report);
      case 'asff':
        if (target.region === undefined) throw new TypeError('renderFormat: asff needs target.region');
        return renderAsff(report, { region: target.region });
      case 'csv':
        return renderCsv(report);
    }
  })();
  return text.endsWith('\n') ? text : `${text}\n`;
};
