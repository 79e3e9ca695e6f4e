import path from 'node:path';
import { escapeBuildpackId } from '../cnb/buildpack-toml.js';
import type { Env } from '../cnb/env.js';
import { BuildError } from '../output/build-error.js';
import { shortCause } from '../output/render-error.js';
import { lockBuild } from './build-lock.js';
import { execDPrograms, runExecD } from './exec-d.js';
import { readImageMetadata, type ImageMetadata } from './image-metadata.js';
import { interruptedBuildLeft, recoverImage } from './image-switch.js';
import { assembleLaunchEnv, readLaunchLayer, type LaunchLayer } from './launch-env.js';
import { readLayersDir } from './layers-dir.js';
import { lookPath, selectProcess } from './process.js';
import { spawnForwardingSignals } from './spawn.js';

export interface LaunchOptions {
  appDir: string;
  layersDir: string;
  processType?: string;
  userArgs: readonly string[];
  caller: Env;
}

/** Launch layers with a directory, buildpacks in build order and layers by name. */
async function launchLayerPaths(layersDir: string, metadata: ImageMetadata): Promise<string[]> {
  const paths: string[] = [];
  for (const buildpack of metadata.buildpacks) {
    const bpDir = path.join(layersDir, escapeBuildpackId(buildpack.id));
    const { layers } = await readLayersDir(bpDir);
    paths.push(...layers.filter((l) => l.types.launch && l.hasDir).map((l) => path.join(bpDir, l.name)));
  }
  return paths;
}

/** Every exec.d program, layer by layer: `exec.d/*` then `exec.d/<type>/*`. */
async function execDProgramsOf(layerPaths: readonly string[], type: string | undefined): Promise<string[]> {
  const programs: string[] = [];
  for (const layerPath of layerPaths) {
    programs.push(...(await execDPrograms(path.join(layerPath, 'exec.d'))));
    if (type) programs.push(...(await execDPrograms(path.join(layerPath, 'exec.d', type))));
  }
  return programs;
}

/**
 * A build that was killed leaves its half-written layers where the image was: they are
 * replaced by the previous image before anything is read. A build still running holds the
 * lock, and its layers cannot be launched: that is an error naming the build.
 */
async function recoverInterruptedBuild(layersDir: string): Promise<void> {
  if (!(await interruptedBuildLeft(layersDir))) return;
  const lock = await lockBuild([layersDir]).catch((err: unknown) => {
    if (err instanceof BuildError && err.failure.kind === 'build-locked') throw new BuildError({ ...err.failure, blocked: 'launch' });
    throw err;
  });
  // Without a lock (a read-only image) nothing can be put back: launch what is there.
  if (!lock) return;
  try {
    await recoverImage(layersDir);
  } finally {
    await lock.release();
  }
}

/** Runs a process of the image the way the CNB launcher does; resolves to its exit code. */
export async function launch(options: LaunchOptions): Promise<number> {
  await recoverInterruptedBuild(options.layersDir);
  const metadata = await readImageMetadata(options.layersDir).catch((err: unknown) => {
    throw new BuildError({ kind: 'build-metadata-unreadable', detail: shortCause(err) });
  });
  if (!metadata) throw new BuildError({ kind: 'nothing-to-launch', layersDir: options.layersDir, appDir: options.appDir });
  const command = selectProcess(metadata, options.processType, options.userArgs);
  const layerPaths = await launchLayerPaths(options.layersDir, metadata);
  const layers: LaunchLayer[] = [];
  for (const layerPath of layerPaths) layers.push(await readLaunchLayer(layerPath, command.type));
  const baseEnv = assembleLaunchEnv(options.caller, layers);
  const env = await runExecD(await execDProgramsOf(layerPaths, command.type), baseEnv, options.appDir);
  const [name = ''] = command.argv;
  const file = await lookPath(name, env.PATH, options.appDir);
  if (!file) throw new BuildError({ kind: 'command-not-found', name, path: env.PATH ?? '' });
  const cwd = path.resolve(options.appDir, command.workingDir ?? '.');
  return spawnForwardingSignals({ file, argv: command.argv, cwd, env });
}
