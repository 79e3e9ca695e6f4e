import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Env } from '../cnb/env.js';
import { BuildError } from '../output/build-error.js';
import { ENV_NAME_PATTERN } from '../cnb/env.js';

export interface WorkDirs {
  layers: string;
  cache: string;
  platform: string;
}

/**
 * `${XDG_CACHE_HOME:-$HOME/.cache}/pywarp`: where every app's local state lives. As root without
 * XDG_CACHE_HOME it is /var/cache/pywarp: root's home is private (0700), and the venv must be
 * readable by mod_wsgi's Apache workers, which never run as root.
 */
export function stateHome(env: Env, uid: number = process.getuid?.() ?? -1): string {
  if (uid === 0 && !env.XDG_CACHE_HOME) return ROOT_STATE_HOME;
  const cacheHome = env.XDG_CACHE_HOME || (env.HOME ? path.join(env.HOME, '.cache') : undefined);
  if (!cacheHome) throw new BuildError({ kind: 'work-dirs-unknown' });
  return path.join(cacheHome, 'pywarp');
}

const ROOT_STATE_HOME = '/var/cache/pywarp';

/** The state folder of one app: `<name>-<hash>`, the hash of its absolute path keeping two apps with the same name apart. */
export function stateDir(appDir: string, env: Env, uid?: number): string {
  const hash = createHash('sha256').update(path.resolve(appDir)).digest('hex').slice(0, 8);
  return path.join(stateHome(env, uid), `${path.basename(path.resolve(appDir))}-${hash}`);
}

/** What `stateDir` names: a folder `pywarp clean` may remove. */
export const STATE_DIR_PATTERN = /^.+-[0-9a-f]{8}$/;

/**
 * Where a build of `appDir` keeps its image, cache and platform dir unless told:
 * `${XDG_CACHE_HOME:-$HOME/.cache}/pywarp/<name>-<hash>/`, which also lets
 * `pywarp launch <app>` find the build.
 */
export function defaultWorkDirs(appDir: string, env: Env, uid?: number): WorkDirs {
  return workDirsIn(stateDir(appDir, env, uid));
}

/** The image, cache and platform dir inside one app's state folder. */
export function workDirsIn(root: string): WorkDirs {
  return { layers: path.join(root, 'layers'), cache: path.join(root, 'cache'), platform: path.join(root, 'platform') };
}

/** This buildpack: the directory above the running bundle (dist/pywarp.js), which holds buildpack.toml and bin/. */
export function bundledBuildpackDir(moduleUrl: string): string {
  return path.resolve(fileURLToPath(new URL('..', moduleUrl)));
}

/** `-e NAME=VALUE`; the value may hold '=' and may be empty. */
export function parseEnvAssignment(text: string): [string, string] {
  const eq = text.indexOf('=');
  const name = eq < 0 ? text : text.slice(0, eq);
  if (eq < 0 || !ENV_NAME_PATTERN.test(name)) throw new Error(`"${text}" is not NAME=VALUE with NAME a valid variable name`);
  return [name, text.slice(eq + 1)];
}
