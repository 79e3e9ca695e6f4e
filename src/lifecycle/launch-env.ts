import path from 'node:path';
import { prependPath, type Env } from '../cnb/env.js';
import { applyEnvFiles, envDirName, readEnvDir } from '../cnb/layer-env.js';
import { isDirectory } from '../effects/fs.js';

/** The launcher's inputs that must not reach the app (spec §5). */
export const LAUNCHER_VARS = ['CNB_LAYERS_DIR', 'CNB_APP_DIR', 'CNB_PROCESS_TYPE', 'CNB_PLATFORM_API', 'CNB_DEPRECATION_MODE'] as const;

/** One launch layer as the launcher sees it. */
export interface LaunchLayer {
  path: string;
  hasBin: boolean;
  hasLib: boolean;
  /** `env/`, `env.launch/`, then `env.launch/<type>/`: file name → content. */
  envDirs: ReadonlyMap<string, string>[];
}

/**
 * The launch environment before exec.d: the caller's env minus the launcher's own
 * variables, then per layer (buildpacks in build order, layers by ascending name) `bin`
 * → PATH and `lib` → LD_LIBRARY_PATH, then its env files. So bare and `.override` files
 * beat the caller's values while `.default` ones yield to them.
 */
export function assembleLaunchEnv(caller: Env, layers: readonly LaunchLayer[]): Record<string, string> {
  const dropped: readonly string[] = LAUNCHER_VARS;
  const env = Object.fromEntries(Object.entries(caller).filter(([name]) => !dropped.includes(name)));
  for (const layer of layers) {
    if (layer.hasBin) env.PATH = prependPath(env.PATH, path.join(layer.path, 'bin'));
    if (layer.hasLib) env.LD_LIBRARY_PATH = prependPath(env.LD_LIBRARY_PATH, path.join(layer.path, 'lib'));
    for (const files of layer.envDirs) applyEnvFiles(env, files);
  }
  return env;
}

/** The env directories of a layer that apply at launch, in the order they apply. */
export function launchEnvDirs(processType: string | undefined): string[] {
  const dirs = [envDirName('all'), envDirName('launch')];
  return processType ? [...dirs, envDirName({ process: processType })] : dirs;
}

export async function readLaunchLayer(layerPath: string, processType: string | undefined): Promise<LaunchLayer> {
  const envDirs: Map<string, string>[] = [];
  for (const dir of launchEnvDirs(processType)) envDirs.push(await readEnvDir(path.join(layerPath, dir)));
  return {
    path: layerPath,
    hasBin: await isDirectory(path.join(layerPath, 'bin')),
    hasLib: await isDirectory(path.join(layerPath, 'lib')),
    envDirs,
  };
}
