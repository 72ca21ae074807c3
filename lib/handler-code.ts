/**
 * The handler as the published package ships it: built by scripts/build.ts into dist/lambda, beside the
 * constructs' own module (dist/cdk.mjs and its chunks all sit directly in dist/).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { HANDLER_FILE } from './handler-bundle.ts';

/** The handler bundle's directory, relative to this module once bundled into dist/. */
const PACKAGED_HANDLER_DIR = fileURLToPath(new URL('./lambda/', import.meta.url));

/**
 * `Code` of the prebuilt handler bundle.
 * @throws Error when the bundle is not there: running the constructs from sources rather than from the
 *   built package, where `code` must be given (e.g. `handlerCodeFromSource()` in lib/handler-source-code.ts).
 */
export const packagedHandlerCode = (): Code => {
  if (!existsSync(join(PACKAGED_HANDLER_DIR, HANDLER_FILE))) {
    throw new Error(
      `key-audit: no prebuilt scanner handler at ${PACKAGED_HANDLER_DIR}; outside the built package pass the code prop (e.g. handlerCodeFromSource())`,
    );
  }
  return Code.fromAsset(PACKAGED_HANDLER_DIR);
};
