/**
 * Pure helpers for the Lambda bundle measurement: bytes per input and per package from esbuild's
 * metafile, and the median of the initialisation runs.
 */
import type { Metafile } from 'esbuild';

/** One input of the bundle and the bytes it contributes after tree-shaking and minification. */
export interface BundleInput {
  readonly path: string;
  readonly bytes: number;
}

/** The package an esbuild input path belongs to (`(project)` for the repository's own files). */
export const packageOf = (inputPath: string): string => {
  const marker = 'node_modules/';
  const at = inputPath.lastIndexOf(marker);
  if (at < 0) return '(project)';
  const [scope = '', name = ''] = inputPath.slice(at + marker.length).split('/');
  return scope.startsWith('@') ? `${scope}/${name}` : scope;
};

/** Bytes in the output per input, largest first; and per package. */
export const summariseMetafile = (metafile: Metafile): { inputs: BundleInput[]; packages: BundleInput[] } => {
  const byInput = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, input] of Object.entries(output.inputs)) {
      byInput.set(path, (byInput.get(path) ?? 0) + input.bytesInOutput);
    }
  }
  const byPackage = new Map<string, number>();
  for (const [path, bytes] of byInput)
    byPackage.set(packageOf(path), (byPackage.get(packageOf(path)) ?? 0) + bytes);
  const sorted = (map: Map<string, number>) =>
    [...map]
      .map(([path, bytes]) => ({ path, bytes }))
      .sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path));
  return { inputs: sorted(byInput), packages: sorted(byPackage) };
};

/** The middle value (mean of the two middle values for an even count); null for none. */
export const median = (values: readonly number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? 0) + upper) / 2;
};
