import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Env } from '../cnb/env.js';
import { statIfExists } from './fs.js';
import { run } from './run.js';

/** The directory of the pip-cache layer that holds pip unpacked from the runtime's wheel. */
export const UNPACKED_PIP_DIR = 'pywarp-pip';

// Unpacks the wheel (zipfile refuses members that would land outside the target) and compiles
// it: hash-based .pyc files, because restoring a cache may reset every file's mtime (an image
// layer's are all 1980), which would make mtime-based ones look stale at every start.
const UNPACK_SCRIPT = `
import compileall, py_compile, sys, zipfile
zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])
sys.exit(0 if compileall.compile_dir(sys.argv[2], quiet=1, invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH) else 1)
`;

/**
 * Where pip runs from: the runtime's pip wheel unpacked into `cacheDir` (a cache-only layer),
 * once per wheel. Python cannot keep the bytecode of modules it imports from a zip, so pip run
 * from its wheel compiles itself at every start, about 1 s of CPU per pip process (and a
 * build runs up to three: the locked packages, the app, pip's build-isolation environment);
 * unpacking and compiling it costs about as much, once per pip cache. The directory is named after the wheel's sha256 and appears only complete (unpacked
 * aside, then renamed), so a build stopped halfway leaves nothing a later build would run.
 * Returns the wheel itself when unpacking fails: pip works from there too, only slower.
 */
export async function unpackedPip(wheel: string, cacheDir: string, python: string, env: Env, timeoutMs: number): Promise<string> {
  const sha256 = createHash('sha256')
    .update(await readFile(wheel))
    .digest('hex');
  const parent = path.join(cacheDir, UNPACKED_PIP_DIR);
  const name = `${path.basename(wheel, '.whl')}-${sha256.slice(0, 16)}`;
  const dir = path.join(parent, name);
  // earlier runtimes' pips and what builds stopped halfway left
  for (const entry of await readdir(parent).catch(() => [] as string[]))
    if (entry !== name) await rm(path.join(parent, entry), { recursive: true, force: true });
  if (await statIfExists(path.join(dir, 'pip', '__main__.py'))) return dir;
  const partial = `${dir}.partial-${randomBytes(6).toString('hex')}`;
  const result = await run([python, '-I', '-c', UNPACK_SCRIPT, wheel, partial], { cwd: cacheDir, env, timeoutMs });
  if (result.exitCode !== 0 || result.timedOut || !(await statIfExists(path.join(partial, 'pip', '__main__.py')))) {
    await rm(partial, { recursive: true, force: true });
    return wheel;
  }
  await rename(partial, dir);
  return dir;
}
