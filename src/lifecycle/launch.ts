import path from 'node:path';
import { escapeBuildpackId } from '../cnb/buildpack-toml.js';
import type { Env } from '../cnb/env.js';
import { EXIT } from '../cnb/exit-codes.js';
import { lifecycleHints } from '../output/messages.js';
import { LifecycleError } from './errors.js';
import { execDPrograms, runExecD } from './exec-d.js';
import { readImageMetadata, type ImageMetadata } from './image-metadata.js';
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

/** Runs a process of the image the way the CNB launcher does; resolves to its exit code. */
export async function launch(options: LaunchOptions): Promise<number> {
  const metadata = await readImageMetadata(options.layersDir).catch((err: Error) => {
    throw new LifecycleError('Unreadable build metadata', `${err.message}. Build the app again.`, EXIT.launchError);
  });
  if (!metadata) {
    throw new LifecycleError('Nothing to launch', `${options.layersDir} holds no build. ${lifecycleHints.buildFirst(options.appDir)}`, EXIT.launchError);
  }
  const command = selectProcess(metadata, options.processType, options.userArgs);
  const layerPaths = await launchLayerPaths(options.layersDir, metadata);
  const layers: LaunchLayer[] = [];
  for (const layerPath of layerPaths) layers.push(await readLaunchLayer(layerPath, command.type));
  const baseEnv = assembleLaunchEnv(options.caller, layers);
  const env = await runExecD(await execDProgramsOf(layerPaths, command.type), baseEnv, options.appDir);
  const [name = ''] = command.argv;
  const file = await lookPath(name, env.PATH, options.appDir);
  if (!file) throw new LifecycleError(`Command not found: ${name}`, `"${name}" is not on the launch PATH (${env.PATH ?? ''}).`, EXIT.launchError);
  const cwd = path.resolve(options.appDir, command.workingDir ?? '.');
  return spawnForwardingSignals({ file, argv: command.argv, cwd, env });
}
