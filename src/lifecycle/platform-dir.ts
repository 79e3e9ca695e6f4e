import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ENV_NAME_PATTERN } from '../cnb/env.js';

/** A valid environment variable name, which is also a safe file name. */

/**
 * Rewrites `<platform>/env` from the `-e` flags of this run only, so that a variable
 * dropped from the command line does not linger from a previous build. The rest of the
 * platform directory (`bindings/`, …) is the user's and is left alone.
 */
export async function writePlatformEnv(platformDir: string, vars: ReadonlyArray<readonly [string, string]>): Promise<void> {
  const dir = path.join(platformDir, 'env');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  for (const [name, value] of vars) {
    if (!ENV_NAME_PATTERN.test(name)) throw new Error(`"${name}" is not a valid environment variable name`);
    await writeFile(path.join(dir, name), value);
  }
}
