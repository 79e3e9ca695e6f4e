import { lstat, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Env } from '../cnb/env.js';
import { lockBuild } from '../lifecycle/build-lock.js';
import { BuildError } from '../output/build-error.js';
import { formatBytes } from '../output/log.js';
import { clean } from '../output/messages.js';
import { STATE_DIR_PATTERN, stateDir, stateHome, workDirsIn } from './options.js';

/** Bytes under `dir`, not following links; 0 when it does not exist. */
export async function diskUsage(dir: string): Promise<number> {
  const info = await lstat(dir).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.size;
  let total = 0;
  for (const name of await readdir(dir)) total += await diskUsage(path.join(dir, name));
  return total;
}

/** Removes one app's state folder under its build lock, so a running build is never pulled from under. */
async function remove(dir: string, say: (line: string) => void): Promise<number> {
  const { layers, cache } = workDirsIn(dir);
  const lock = await lockBuild([layers, cache]).catch((err: unknown) => {
    if (err instanceof BuildError && err.failure.kind === 'build-locked') throw new BuildError({ ...err.failure, blocked: 'clean' });
    throw err;
  });
  try {
    const bytes = await diskUsage(dir);
    await rm(dir, { recursive: true, force: true });
    say(clean.removed(dir, formatBytes(bytes)));
    return bytes;
  } finally {
    await lock?.release();
  }
}

/**
 * `pywarp clean [app]`: removes one app's state folder, or every state folder under
 * `${XDG_CACHE_HOME:-~/.cache}/pywarp`. The app directory itself need not exist any more.
 * Only folders named as pywarp names them are touched.
 */
export async function cleanState(app: string | undefined, env: Env, say: (line: string) => void): Promise<void> {
  if (app !== undefined) {
    const dir = stateDir(app, env);
    if (await lstat(dir).catch(() => undefined)) await remove(dir, say);
    else say(clean.noBuild(app, dir));
    return;
  }
  const home = stateHome(env);
  const names = (await readdir(home, { withFileTypes: true }).catch(() => []))
    .filter((d) => d.isDirectory() && STATE_DIR_PATTERN.test(d.name))
    .map((d) => d.name)
    .sort();
  if (names.length === 0) {
    say(clean.nothing(home));
    return;
  }
  let total = 0;
  for (const name of names) total += await remove(path.join(home, name), say);
  say(clean.total(names.length, formatBytes(total)));
}
