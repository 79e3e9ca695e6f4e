import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Reads `<platform>/env/*`: file name = variable name, raw content = value.
 * The lifecycle exports these into detect and build unless `clear-env` is set;
 * reading them directly keeps `BP_*` settings working either way.
 */
export async function readPlatformEnv(platformDir: string): Promise<Record<string, string>> {
  const dir = path.join(platformDir, 'env');
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  const env: Record<string, string> = {};
  for (const name of names.sort()) {
    if (name.startsWith('.')) continue;
    try {
      env[name] = await readFile(path.join(dir, name), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EISDIR') throw err;
    }
  }
  return env;
}
