/**
 * The handler bundled from this repository's sources at synth time, for `cdk deploy` from a checkout and
 * for the tests. Not part of the published constructs: they ship the same bundle prebuilt (dist/lambda),
 * so a consumer needs neither esbuild nor the sources.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { buildSync } from 'esbuild';
import { HANDLER_BUNDLE_OPTIONS, HANDLER_FILE } from './handler-bundle.ts';

/** The handler's sources: the asset's source directory (only hashed or copied if bundling is skipped). */
const LAMBDA_SOURCES = fileURLToPath(new URL('../lambda/', import.meta.url));

/**
 * `Code` that bundles lambda/handler.ts with the local esbuild (no Docker). The asset hash is the
 * bundle's own, so a dependency upgrade redeploys the function and an unchanged bundle does not. When a
 * test skips bundling (`aws:cdk:bundling-stacks: []`), CDK uses a placeholder hash and runs nothing.
 */
export const handlerCodeFromSource = (): Code =>
  Code.fromAsset(LAMBDA_SOURCES, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Required by the type, never pulled: local bundling below always succeeds or throws.
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:lts-slim'),
      local: {
        tryBundle: (outputDir: string): boolean => {
          buildSync({ ...HANDLER_BUNDLE_OPTIONS, outfile: join(outputDir, HANDLER_FILE) });
          return true;
        },
      },
    },
  });
