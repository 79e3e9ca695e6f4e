import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { timestampPycs } from './pyc.js';
import { UNPACKED_PIP_DIR, unpackedPip } from './unpacked-pip.js';

const python = '/usr/bin/python3';
const env = { PATH: '/usr/bin:/bin' };

let tmp: string;
let cache: string;
beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pywarp-unpacked-pip-'));
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

describe('unpackedPip', () => {
  test('unpacks the wheel once into the cache, compiled with hash-based .pyc files, and the directory runs', async () => {
    const wheel = await makeWheel('pip-23.0.1-py3-none-any.whl', 'first');
    const dir = await unpackedPip(wheel, cache, python, env, 60_000);
    expect(path.dirname(dir)).toBe(path.join(cache, UNPACKED_PIP_DIR));
    expect(path.basename(dir)).toMatch(/^pip-23\.0\.1-py3-none-any-[0-9a-f]{16}$/);
    expect(execFileSync(python, [path.join(dir, 'pip')], { encoding: 'utf8' })).toBe('first\n');
    expect((await readdir(path.join(dir, 'pip', '__pycache__'))).length).toBeGreaterThan(0);
    expect(await timestampPycs(dir)).toEqual([]);
    // kept: a later build finds it without running Python
    expect(await unpackedPip(wheel, cache, path.join(tmp, 'no-python'), env, 60_000)).toBe(dir);
  });

  test("another wheel's directory and a half-unpacked one are removed", async () => {
    const old = await unpackedPip(await makeWheel('pip-22.0-py3-none-any.whl', 'old'), cache, python, env, 60_000);
    const partial = path.join(cache, UNPACKED_PIP_DIR, 'pip-23.0.1-py3-none-any-0123456789abcdef.partial-abc');
    await mkdir(path.join(partial, 'pip'), { recursive: true });
    const dir = await unpackedPip(await makeWheel('pip-23.0.1-py3-none-any.whl', 'new'), cache, python, env, 60_000);
    expect(dir).not.toBe(old);
    expect(await readdir(path.join(cache, UNPACKED_PIP_DIR))).toEqual([path.basename(dir)]);
  });

  test('a wheel Python cannot unpack is run as it is, and leaves nothing behind', async () => {
    const wheel = path.join(tmp, 'pip-23.0.1-py3-none-any.whl');
    await writeFile(wheel, 'not a zip');
    expect(await unpackedPip(wheel, cache, python, env, 60_000)).toBe(wheel);
    expect(await readdir(path.join(cache, UNPACKED_PIP_DIR)).catch(() => [])).toEqual([]);
  });
});
