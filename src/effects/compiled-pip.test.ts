import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { COMPILED_PIP_DIR, compiledPip } from './compiled-pip.js';

const python = '/usr/bin/python3';
const env = { PATH: '/usr/bin:/bin' };
const RUNTIME = 'a'.repeat(64);

let tmp: string;
let cache: string;
beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pywarp-compiled-pip-'));
  cache = path.join(tmp, 'pip-cache');
  await mkdir(cache);
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** A wheel-shaped zip holding a `pip` package whose __main__ prints `says`. */
async function makeWheel(name: string, says: string): Promise<string> {
  const src = path.join(tmp, `src-${says}`);
  await mkdir(path.join(src, 'pip'), { recursive: true });
  await writeFile(path.join(src, 'pip', '__init__.py'), '');
  await writeFile(path.join(src, 'pip', '__main__.py'), `print(${JSON.stringify(says)})\n`);
  const wheel = path.join(tmp, name);
  execFileSync(python, ['-I', '-m', 'zipfile', '-c', wheel, path.join(src, 'pip')]);
  return wheel;
}

/** compiledPip of `wheel` into the test's cache, by the runtime `RUNTIME` unless told. */
function copyOf(wheel: string, opts: { python?: string; runtimeSha256?: string } = {}): Promise<string> {
  return compiledPip({ wheel, runtimeSha256: RUNTIME, cacheDir: cache, python, env, timeoutMs: 60_000, ...opts });
}

describe('compiledPip', () => {
  test('copies the wheel once into the cache with hash-based bytecode that Python loads instead of the source', async () => {
    const wheel = await makeWheel('pip-23.0.1-py3-none-any.whl', 'first');
    const copy = await copyOf(wheel);
    expect(path.dirname(copy)).toBe(path.join(cache, COMPILED_PIP_DIR));
    expect(path.basename(copy)).toMatch(/^pip-23\.0\.1-py3-none-any-[0-9a-f]{16}\.zip$/);
    const listing = execFileSync(python, ['-I', '-m', 'zipfile', '-l', copy], { encoding: 'utf8' });
    expect(listing).toMatch(/pip\/__main__\.pyc /);
    expect(listing).toMatch(/pip\/__main__\.py /);
    expect(execFileSync(python, [path.join(copy, 'pip')], { encoding: 'utf8' })).toBe('first\n');
    // the module came from the bytecode (-B: Python writes no .pyc of its own)
    const loader = 'import sys; sys.path.insert(0, sys.argv[1]); import pip.__main__ as m; print(m.__spec__.origin)';
    expect(execFileSync(python, ['-I', '-B', '-c', loader, copy], { encoding: 'utf8' })).toBe(
      `first\n${path.join(copy, 'pip', '__main__.pyc')}\n`,
    );
    // kept: a later build finds it without running Python
    expect(await copyOf(wheel, { python: path.join(tmp, 'no-python') })).toBe(copy);
  });

  test("another wheel's copy and a half-written one are removed", async () => {
    const old = await copyOf(await makeWheel('pip-22.0-py3-none-any.whl', 'old'));
    const partial = path.join(cache, COMPILED_PIP_DIR, 'pip-23.0.1-py3-none-any-0123456789abcdef.zip.partial-abc');
    await writeFile(partial, 'half');
    const dir = await copyOf(await makeWheel('pip-23.0.1-py3-none-any.whl', 'new'));
    expect(dir).not.toBe(old);
    expect(await readdir(path.join(cache, COMPILED_PIP_DIR))).toEqual([path.basename(dir)]);
  });

  test("the same wheel bundled by another runtime gets that runtime's copy (bytecode is per Python)", async () => {
    const wheel = await makeWheel('pip-23.0.1-py3-none-any.whl', 'same');
    const first = await copyOf(wheel);
    const other = await copyOf(wheel, { runtimeSha256: 'b'.repeat(64) });
    expect(other).not.toBe(first);
    expect(await readdir(path.join(cache, COMPILED_PIP_DIR))).toEqual([path.basename(other)]);
  });

  test('a wheel Python cannot read is run as it is, and leaves nothing behind', async () => {
    const wheel = path.join(tmp, 'pip-23.0.1-py3-none-any.whl');
    await writeFile(wheel, 'not a zip');
    expect(await copyOf(wheel)).toBe(wheel);
    expect(await readdir(path.join(cache, COMPILED_PIP_DIR)).catch(() => [])).toEqual([]);
  });
});
