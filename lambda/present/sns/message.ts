/**
 * An SNS message as key-audit publishes it (one `Publish`, or one entry of a `PublishBatch`), and how its
 * size is counted against SNS's limit: the message, the subject and every attribute's name, type and value,
 * in UTF-8 bytes.
 */
import type { Finding } from '../../domain/finding.ts';
import { SEVERITIES, type Severity, severityRank } from '../../domain/severity.ts';
import { utf8Bytes } from '../render/text.ts';

/** A message attribute: SNS `String` or `Number` (sent as its decimal string). */
export interface SnsAttribute {
  readonly type: 'String' | 'Number';
  readonly value: string;
}

/** The protocol keys of a JSON-structured message key-audit fills. `default` is the one SNS requires. */
export const MESSAGE_PROTOCOLS = ['default', 'email', 'https', 'sqs', 'lambda'] as const;

/** A protocol key of a JSON-structured message. */
export type MessageProtocol = (typeof MESSAGE_PROTOCOLS)[number];

/** One SNS message, always sent with `MessageStructure: "json"`. */
export interface SnsMessage {
  /** Valid SNS subject (see `snsSubject`). */
  readonly subject: string;
  /** The JSON-structured message: an object of strings by protocol, `default` always present. */
  readonly message: string;
  readonly attributes: Readonly<Record<string, SnsAttribute>>;
}

/** Bytes the attributes count towards the size limit: name, data type and value of each. */
export const attributeBytes = (attributes: Readonly<Record<string, SnsAttribute>>): number =>
  Object.entries(attributes).reduce(
    (sum, [name, attribute]) =>
      sum + utf8Bytes(name) + utf8Bytes(attribute.type) + utf8Bytes(attribute.value),
    0,
  );

/**
 * The size SNS counts for `message`. AWS counts the message body and its attributes; the subject is
 * counted too, to stay on the safe side of a limit SNS enforces by rejecting the whole publish.
 */
export const snsMessageBytes = (message: SnsMessage): number =>
  utf8Bytes(message.message) + utf8Bytes(message.subject) + attributeBytes(message.attributes);

// Characters SNS accepts in a String attribute (the XML character range); anything else is removed.
const NOT_ATTRIBUTE_CHARACTER = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;
// Control characters and the Unicode line and paragraph separators: line breaks in a one-line attribute.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/**
 * A `String` attribute of `value` on one line, with characters SNS refuses removed; null when nothing is
 * left (SNS refuses empty attribute values, so such an attribute is left out).
 */
export const stringAttribute = (value: string): SnsAttribute | null => {
  const clean = value.replace(NOT_ATTRIBUTE_CHARACTER, '').replace(CONTROL, ' ').trim();
  return clean === '' ? null : { type: 'String', value: clean };
};

/** A `Number` attribute. */
export const numberAttribute = (value: number): SnsAttribute => {
  if (!Number.isFinite(value)) throw new RangeError(`attribute value must be a finite number, got ${value}`);
  return { type: 'Number', value: String(value) };
};

/** The `severity` attribute's value when no finding qualifies (SNS refuses empty values). */
export const NO_SEVERITY = 'none';

/** The most severe non-exempt finding's severity, or null when there is none. */
export const highestSeverity = (findings: readonly Finding[]): Severity | null => {
  let highest: Severity | null = null;
  for (const finding of findings) {
    if (finding.exempt) continue;
    if (highest === null || severityRank(finding.severity) > severityRank(highest))
      highest = finding.severity;
    if (highest === SEVERITIES[0]) break;
  }
  return highest;
};
