import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BuildpackPlan } from '../cnb/build-plan.js';
import { escapeBuildpackId, parseBuildpackToml, type BuildpackDescriptor } from '../cnb/buildpack-toml.js';
import type { Env } from '../cnb/env.js';
import { readPlatformEnv } from '../cnb/platform.js';
import type { Log } from '../output/log.js';
import { readBuildOutput } from './build-output.js';
import { BuildError } from '../output/build-error.js';
import { shortCause } from '../output/render-error.js';
import { exportLayers, saveCache } from './export.js';
import { imageMetadata, writeImageMetadata, type ImageMetadata } from './image-metadata.js';
import type { RestoreStep } from './layer-rules.js';
import type { PhaseContext } from './phase-env.js';
import { detect, runBuild, writeBuildpackPlan } from './phases.js';
import { writePlatformEnv } from './platform-dir.js';
import { dropPrevious, putPreviousBack, restoreLayers, setPreviousAside, type ImageDirs } from './restore.js';
import { readTargetVars } from './target.js';

export interface BuildOptions {
  appDir: string;
  buildpackDir: string;
  /** Holds the image: `<layers>/<escaped id>/` and `<layers>/config/metadata.toml`. */
  layersDir: string;
  cacheDir: string;
  platformDir: string;
  caller: Env;
  /** The `-e NAME=VALUE` flags, written to `<platform>/env`. */
  platformVars: ReadonlyArray<readonly [string, string]>;
}

async function readDescriptor(buildpackDir: string): Promise<BuildpackDescriptor> {
  const file = path.join(buildpackDir, 'buildpack.toml');
  const text = await readFile(file, 'utf8').catch(() => {
    throw new BuildError({ kind: 'buildpack-not-found', file });
  });
  try {
    return parseBuildpackToml(text, file);
  } catch (err) {
    throw new BuildError({ kind: 'buildpack-toml-invalid', detail: shortCause(err) });
  }
}

/** What the phases after detect share. */
interface BuildRun {
  options: BuildOptions;
  ctx: PhaseContext;
  descriptor: BuildpackDescriptor;
  bpPlan: BuildpackPlan;
  tempDir: string;
}

/** Detect, restore, build, check, export: one buildpack through the whole lifecycle. */
export async function build(options: BuildOptions, log: Log): Promise<ImageMetadata> {
  const descriptor = await readDescriptor(options.buildpackDir);
  await writePlatformEnv(options.platformDir, options.platformVars);
  const ctx: PhaseContext = {
    appDir: options.appDir,
    buildpackDir: options.buildpackDir,
    platformDir: options.platformDir,
    api: descriptor.api,
    clearEnv: descriptor.clearEnv,
    caller: options.caller,
    platformEnv: await readPlatformEnv(options.platformDir),
    target: await readTargetVars(),
  };
  const tempDir = await mkdtemp(path.join(os.tmpdir(), 'pywarp-plan-'));
  try {
    log.header('Detecting');
    const bpPlan = await detect(ctx, tempDir);
    log.info(`${descriptor.id} ${descriptor.version}`);
    return await buildAndExport({ options, ctx, descriptor, bpPlan, tempDir }, log);
  } finally {
    await rm(tempDir, { recursive: true, force: true });
  }
}

function logRestore(steps: readonly RestoreStep[], log: Log): void {
  for (const step of steps)
    log.info(
      step.source === 'cache'
        ? `Restored layer '${step.name}' from the cache`
        : `Restored the metadata of layer '${step.name}' from the previous image`,
    );
  if (steps.length === 0) log.info('Nothing to restore');
}

/** Everything after detect; any failure puts the previous image back and leaves the cache alone. */
async function buildAndExport(run: BuildRun, log: Log): Promise<ImageMetadata> {
  const { options, descriptor } = run;
  const id = escapeBuildpackId(descriptor.id);
  const dirs: ImageDirs = { bpLayersDir: path.join(options.layersDir, id), previousDir: path.join(options.layersDir, '.previous', id) };
  const cacheDir = path.join(options.cacheDir, id);
  await setPreviousAside(dirs);
  try {
    log.header('Restoring');
    const skip = (file: string, err: Error) => log.info(`Not restoring ${file}: ${shortCause(err)}`);
    logRestore(await restoreLayers(dirs, cacheDir, skip), log);
    log.header('Building');
    await runBuild(run.ctx, dirs.bpLayersDir, await writeBuildpackPlan(run.tempDir, run.bpPlan));
    log.header('Exporting');
    const output = await readBuildOutput({
      dir: dirs.bpLayersDir,
      bpPlan: run.bpPlan,
      sbomFormats: descriptor.sbomFormats,
      previousDir: dirs.previousDir,
    });
    await exportLayers(dirs, output, log);
    await saveCache(dirs.bpLayersDir, cacheDir, output.layers);
    const metadata = imageMetadata({ id: descriptor.id, version: descriptor.version, api: descriptor.api }, output.launch);
    await writeImageMetadata(options.layersDir, metadata);
    await dropPrevious(dirs);
    return metadata;
  } catch (err) {
    await putPreviousBack(dirs);
    throw err;
  }
}
