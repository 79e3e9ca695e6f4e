import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Env } from '../cnb/env.js';
import { statIfExists } from './fs.js';
import { run } from './run.js';

/** The directory of the pip-cache layer that holds pip's wheel with its bytecode. */
export const COMPILED_PIP_DIR = 'pywarp-pip';

// A copy of the wheel with a hash-based .pyc (PEP 552, unchecked) beside each module, which
// zipimport loads instead of compiling the source. Hash-based: restoring a cache may reset
// every file's mtime. One file, not an unpacked tree of 1,100: the local lifecycle copies the
// cache at every build, and the real one archives it.
const COMPILE_SCRIPT = `
import importlib.util, marshal, sys, zipfile
wheel, out, final = sys.argv[1:4]
unchecked_hash = (1).to_bytes(4, "little")
with zipfile.ZipFile(wheel) as src, zipfile.ZipFile(out, "w") as dst:
    for info in src.infolist():
        data = src.read(info)
        dst.writestr(info, data)
        if info.filename.endswith(".py"):
            code = compile(data, f"{final}/{info.filename}", "exec", dont_inherit=True)
            pyc = importlib.util.MAGIC_NUMBER + unchecked_hash + importlib.util.source_hash(data) + marshal.dumps(code)
            dst.writestr(info.filename + "c", pyc)
`;

/**
 * What pip runs from: the runtime's pip wheel with its bytecode, made once per wheel in
 * `cacheDir` (a cache-only layer). Python cannot keep the bytecode of modules it imports from
 * a zip, so pip run from its wheel compiles itself at every start, about 1 s of CPU per pip
 * process (and a build runs up to three: the locked packages, the app, pip's build-isolation
 * environment); making the copy costs about as much, once per pip cache. The copy is named
 * after the wheel's sha256 and appears only complete (written aside, then renamed), so a build
 * stopped halfway leaves nothing a later build would run. `python` is the runtime's
 * interpreter that runs pip. Returns the wheel itself when the copy
 * cannot be made: pip works from there too, only slower.
 */
export async function compiledPip(opts: {
  wheel: string;
  runtimeSha256: string;
  cacheDir: string;
  python: string;
  env: Env;
  timeoutMs: number;
}): Promise<string> {
  const { wheel, cacheDir, python, env, timeoutMs } = opts;
  const sha256 = createHash('sha256')
    .update(await readFile(wheel))
    .update(opts.runtimeSha256)
    .digest('hex');
  const parent = path.join(cacheDir, COMPILED_PIP_DIR);
  const name = `${path.basename(wheel, '.whl')}-${sha256.slice(0, 16)}.zip`;
  const file = path.join(parent, name);
  // earlier runtimes' pips and what builds stopped halfway left
  for (const entry of await readdir(parent).catch(() => [] as string[]))
    if (entry !== name) await rm(path.join(parent, entry), { recursive: true, force: true });
  if (await statIfExists(file)) return file;
  await mkdir(parent, { recursive: true });
  const partial = `${file}.partial-${randomBytes(6).toString('hex')}`;
  const result = await run([python, '-I', '-c', COMPILE_SCRIPT, wheel, partial, file], { cwd: cacheDir, env, timeoutMs });
  if (result.exitCode !== 0 || result.timedOut) {
    await rm(partial, { force: true });
    return wheel;
  }
  await rename(partial, file);
  return file;
}
