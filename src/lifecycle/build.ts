import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { BuildpackPlan } from '../cnb/build-plan.js';
import { escapeBuildpackId, parseBuildpackToml, type BuildpackDescriptor } from '../cnb/buildpack-toml.js';
import type { Env } from '../cnb/env.js';
import { readPlatformEnv } from '../cnb/platform.js';
import type { Log } from '../output/log.js';
import { readBuildOutput } from './build-output.js';
import { BuildError } from '../output/build-error.js';
import { localBuild } from '../output/messages.js';
import { shortCause } from '../output/render-error.js';
import { lockBuild, type HeldLock } from './build-lock.js';
import { cacheStaging, exportLayers, saveCache } from './export.js';
import { imageMetadata, type ImageMetadata } from './image-metadata.js';
import { imageDirs, putPreviousBack, recoverImage, setPreviousAside, switchImage } from './image-switch.js';
import type { RestoreStep } from './layer-rules.js';
import type { PhaseContext } from './phase-env.js';
import { detect, runBuild, writeBuildpackPlan } from './phases.js';
import { writePlatformEnv } from './platform-dir.js';
import { restoreLayers } from './restore.js';
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
  /** Aborted (with a `build-interrupted` error) when pywarp is told to stop. */
  stop?: AbortSignal;
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
  lock: HeldLock | undefined;
}

/**
 * What a build killed earlier left: its image is put back (or its finished switch completed),
 * its half-assembled cache and plan files go. Runs with the lock held, so nothing else is
 * writing them.
 */
async function cleanUpAfterKilledBuild(options: BuildOptions, cacheDir: string, tempDir: string, log: Log): Promise<void> {
  if ((await recoverImage(options.layersDir)) === 'restored') log.info(localBuild.previousPutBack);
  await rm(cacheStaging(cacheDir), { recursive: true, force: true }).catch(() => undefined);
  await rm(tempDir, { recursive: true, force: true });
}

/**
 * Detect, restore, build, check, export: one buildpack through the whole lifecycle. The
 * layers and cache directories are locked for the whole build: a second build of the same
 * app fails at once with `build-locked`.
 */
export async function build(options: BuildOptions, log: Log): Promise<ImageMetadata> {
  const descriptor = await readDescriptor(options.buildpackDir);
  const lock = await lockBuild([options.layersDir, options.cacheDir]);
  try {
    return await lockedBuild(options, descriptor, lock, log);
  } finally {
    await lock?.release();
  }
}

async function lockedBuild(
  options: BuildOptions,
  descriptor: BuildpackDescriptor,
  lock: HeldLock | undefined,
  log: Log,
): Promise<ImageMetadata> {
  // The plan files live with the image, not in /tmp, so that a killed build's are found and removed.
  const tempDir = path.join(options.layersDir, '.plan');
  await cleanUpAfterKilledBuild(options, path.join(options.cacheDir, escapeBuildpackId(descriptor.id)), tempDir, log);
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
    ...(options.stop ? { stop: options.stop } : {}),
  };
  await mkdir(tempDir, { recursive: true, mode: 0o700 });
  try {
    log.header('Detecting');
    const bpPlan = await detect(ctx, tempDir);
    log.info(`${descriptor.id} ${descriptor.version}`);
    return await buildAndExport({ options, ctx, descriptor, bpPlan, tempDir, lock }, log);
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

/**
 * Like the real exporter, a cache that cannot be saved (a full disk, a read-only directory)
 * is a warning: the image is good, and the next build only restores less.
 */
async function saveCacheOrWarn(bpLayersDir: string, cacheDir: string, layers: Parameters<typeof saveCache>[2], log: Log): Promise<void> {
  try {
    await saveCache(bpLayersDir, cacheDir, layers);
  } catch (err) {
    log.warning(localBuild.cacheNotSavedTitle, localBuild.cacheNotSaved(cacheDir, shortCause(err)));
  }
}

/**
 * Everything after detect; any failure (and a stop) before the switch puts the previous
 * image back and leaves the cache alone.
 */
async function buildAndExport(run: BuildRun, log: Log): Promise<ImageMetadata> {
  const { options, descriptor } = run;
  const id = escapeBuildpackId(descriptor.id);
  const dirs = imageDirs(options.layersDir, id);
  const cacheDir = path.join(options.cacheDir, id);
  const stopped = () => options.stop?.throwIfAborted();
  await setPreviousAside(dirs);
  try {
    log.header('Restoring');
    const skip = (file: string, err: Error) => log.info(`Not restoring ${file}: ${shortCause(err)}`);
    logRestore(await restoreLayers(dirs, cacheDir, skip), log);
    stopped();
    log.header('Building');
    await runBuild(run.ctx, dirs.bpLayersDir, await writeBuildpackPlan(run.tempDir, run.bpPlan), run.lock?.fd);
    log.header('Exporting');
    const output = await readBuildOutput({
      dir: dirs.bpLayersDir,
      bpPlan: run.bpPlan,
      sbomFormats: descriptor.sbomFormats,
      previousDir: dirs.previousDir,
    });
    await exportLayers(dirs, output, log);
    stopped();
    await saveCacheOrWarn(dirs.bpLayersDir, cacheDir, output.layers, log);
    stopped();
    const metadata = imageMetadata({ id: descriptor.id, version: descriptor.version, api: descriptor.api }, output.launch);
    await switchImage(dirs, metadata);
    return metadata;
  } catch (err) {
    await putPreviousBack(dirs);
    options.stop?.throwIfAborted();
    throw err;
  }
}
