import type { Report } from '../../lambda/domain/report.ts';
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
    }
  })();
  return text.endsWith('\n') ? text : `${text}\n`;
};
