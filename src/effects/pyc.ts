import { open, readdir } from 'node:fs/promises';
import path from 'node:path';
import { BuildError } from '../output/build-error.js';
import { tail } from '../plan/pip-failure.js';
import { run } from './run.js';

/**
 * PEP 552: a .pyc header holds flags at bytes 4–8; bit 0 set means the file is
 * validated by source hash, not by mtime. Images carry a fixed 1980 mtime on every
 * file, so mtime-based .pyc files in a launch layer look stale at every start.
 */
export function isHashBasedPyc(header: Buffer): boolean {
  return header.length >= 8 && (header.readUInt32LE(4) & 1) === 1;
}

async function* walkPycs(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walkPycs(full);
    else if (entry.isFile() && entry.name.endsWith('.pyc')) yield full;
  }
}

export async function timestampPycs(root: string): Promise<string[]> {
  const found: string[] = [];
  for await (const file of walkPycs(root)) {
    const handle = await open(file, 'r');
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(8), 0, 8, 0);
      if (!isHashBasedPyc(buffer.subarray(0, bytesRead))) found.push(file);
    } finally {
      await handle.close();
    }
  }
  return found;
}

// Recompiles the listed __pycache__ files in place from their sources, keeping each
// file's optimization level. Sources that are gone leave their .pyc alone.
const REHASH_SCRIPT = `
import os, py_compile, re, sys
for pyc in sys.stdin.read().split("\\0"):
    m = re.match(r"(.*)/__pycache__/([^/.]+)\\.[^.]+(?:\\.opt-(\\d))?\\.pyc$", pyc)
    if not m or not os.path.exists(m.group(1) + "/" + m.group(2) + ".py"):
        continue
    py_compile.compile(m.group(1) + "/" + m.group(2) + ".py", cfile=pyc, doraise=True,
                       optimize=int(m.group(3) or 0),
                       invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
`;

/** Runs `script` with the runtime's `python` (its own lib on LD_LIBRARY_PATH), the `files` on stdin, NUL-separated. */
function runScript(python: string, script: string, files: readonly string[], cwd: string) {
  return run([python, '-I', '-c', script], {
    cwd,
    input: files.join('\0'),
    env: { PATH: '/usr/bin:/bin', LD_LIBRARY_PATH: path.join(path.dirname(path.dirname(python)), 'lib') },
  });
}

// One Python start for the launcher layer. Each module is compiled into the __pycache__ beside it,
// checked by source hash: images carry a fixed mtime, and a container starts on a fresh copy of the
// image, so a .pyc written at run time would be written again, at the cost of a compile, by every
// container's first start. The JSON file is copied as (its bytes, its value) in marshal's format,
// which Python reads with no import (json imports re).
const LAUNCHER_SCRIPT = `
import json, marshal, py_compile, sys
json_source, json_copy, *modules = sys.stdin.read().split("\\0")
for source in modules:
    py_compile.compile(source, doraise=True, invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)
with open(json_source, "rb") as f:
    raw = f.read()
with open(json_copy, "wb") as f:
    marshal.dump((raw, json.loads(raw)), f)
`;

/**
 * Compiles `modules` (absolute .py paths) to hash-checked .pyc files beside them and writes
 * `jsonCopy`, a marshal copy of the JSON file `json`, with the image's `python` (both formats are
 * that Python's own).
 */
export async function compileLauncher(opts: { modules: readonly string[]; json: string; jsonCopy: string; python: string }): Promise<void> {
  const result = await runScript(opts.python, LAUNCHER_SCRIPT, [opts.json, opts.jsonCopy, ...opts.modules], path.dirname(opts.json));
  if (result.exitCode !== 0) throw new BuildError({ kind: 'launcher-compile-failed', lastLines: tail(result.output) });
}

/** Makes every mtime-based .pyc under `root` hash-based, using `python`; returns how many. */
export async function rehashPycs(root: string, python: string): Promise<number> {
  const stale = await timestampPycs(root);
  if (stale.length === 0) return 0;
  const result = await runScript(python, REHASH_SCRIPT, stale, root);
  if (result.exitCode !== 0) throw new BuildError({ kind: 'cpython-rehash-failed', lastLines: tail(result.output) });
  return stale.length;
}
