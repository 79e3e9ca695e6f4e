import path from 'node:path';
import type { BuildpackPlan } from '../cnb/build-plan.js';
import { parseBuildToml } from '../cnb/build-toml.js';
import { parseLaunchToml, type Launch } from '../cnb/launch-toml.js';
import { RESERVED_LAYER_NAMES } from '../cnb/layer-toml.js';
import { SBOM_FILE_PATTERN, SBOM_FORMATS } from '../cnb/sbom.js';
import { parseToml } from '../cnb/toml.js';
import { isDirectory, readIfExists } from '../effects/fs.js';
import { shortCause } from '../output/render-error.js';
import { BuildError } from '../output/build-error.js';
import { exportAction } from './layer-rules.js';
import { readLayersDir, type LayerEntry, type LayersListing } from './layers-dir.js';

/** What a successful bin/build produced, checked the way the lifecycle checks it. */
export interface BuildOutput {
  layers: LayerEntry[];
  /** Directories with no `<layer>.toml`: the lifecycle ignores them, so they are not exported. */
  strayDirs: string[];
  launch: Launch;
}

/** SBOM files must use a known extension whose media type buildpack.toml declares. */
export function sbomProblems(files: readonly string[], declared: readonly string[]): string[] {
  const problems: string[] = [];
  for (const file of files) {
    const ext = SBOM_FILE_PATTERN.exec(file)?.[2];
    if (ext === undefined) continue;
    const mediaType = Object.hasOwn(SBOM_FORMATS, ext) ? SBOM_FORMATS[ext as keyof typeof SBOM_FORMATS] : undefined;
    if (mediaType === undefined) problems.push(`${file}: unsupported SBOM format "${ext}" (use ${Object.keys(SBOM_FORMATS).join(', ')})`);
    else if (!declared.includes(mediaType))
      problems.push(`${file}: undeclared SBOM media type "${mediaType}" (add it to sbom-formats in buildpack.toml)`);
  }
  return problems;
}

/** Runs one check, recording its error so that every problem is reported at once. */
async function check(problems: string[], fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    problems.push(shortCause(err));
  }
}

export interface BuildOutputInput {
  dir: string;
  bpPlan: BuildpackPlan;
  sbomFormats: readonly string[];
  /** The previous image's copy of this buildpack's layers, for launch layers to reuse. */
  previousDir: string;
}

export async function readBuildOutput(input: BuildOutputInput): Promise<BuildOutput> {
  const problems: string[] = [];
  let listing: LayersListing = { layers: [], dirs: [], files: [] };
  let launch: Launch = { processes: [] };
  await check(problems, async () => {
    listing = await readLayersDir(input.dir);
  });
  for (const name of listing.dirs) {
    if ((RESERVED_LAYER_NAMES as readonly string[]).includes(name)) problems.push(`"${name}" cannot be a layer name`);
  }
  await check(problems, async () => {
    const text = await readIfExists(path.join(input.dir, 'launch.toml'));
    if (text !== undefined) launch = parseLaunchToml(text);
  });
  await check(problems, async () => {
    const text = await readIfExists(path.join(input.dir, 'build.toml'));
    if (text !== undefined) parseBuildToml(text, input.bpPlan);
  });
  await check(problems, async () => {
    const text = await readIfExists(path.join(input.dir, 'store.toml'));
    if (text !== undefined) parseToml(text, 'store.toml');
  });
  problems.push(...sbomProblems(listing.files, input.sbomFormats));
  for (const layer of listing.layers) {
    if (exportAction(layer.types, layer.hasDir) !== 'reuse') continue;
    if (!(await isDirectory(path.join(input.previousDir, layer.name))))
      problems.push(`cannot reuse '${layer.name}': the previous image has no such layer (write the layer's directory)`);
  }
  if (problems.length) throw new BuildError({ kind: 'build-output-invalid', problems });
  const names = new Set(listing.layers.map((l) => l.name));
  return { layers: listing.layers, strayDirs: listing.dirs.filter((d) => !names.has(d)), launch };
}
