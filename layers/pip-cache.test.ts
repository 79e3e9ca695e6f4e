import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLog } from '../src/output/log.js';
import { PIP_CACHE_LAYER, preparePipCache } from './pip-cache.js';

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pywarp-pip-cache-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const prepare = (layersDir: string, version = '3.12.7') =>
  preparePipCache(
    layersDir,
    version,
    'amd64',
    createLog(() => undefined),
  );
const toml = (layersDir: string) => readFile(path.join(layersDir, `${PIP_CACHE_LAYER}.toml`), 'utf8');

describe("the salt of the venv's reuse hash", () => {
  test('is made once per cache, random, and kept in the cache-only layer while the cache is kept', async () => {
    const layers = path.join(tmp, 'a');
    const first = await prepare(layers);
    expect(first).toEqual({ path: path.join(layers, PIP_CACHE_LAYER), salt: expect.stringMatching(/^[0-9a-f]{64}$/), saltRenewed: true });
    expect(await toml(layers)).toContain(`salt = "${first.salt}"`);
    // never launched, so never in the image
    expect(await toml(layers)).toMatch(/launch = false/);
    expect(await prepare(layers)).toEqual({ ...first, saltRenewed: false });
    expect((await prepare(path.join(tmp, 'b'))).salt).not.toBe(first.salt);
  });

  test('a cache from before salts keeps its contents and gets one', async () => {
    const layers = path.join(tmp, 'old');
    const { path: dir } = await prepare(layers);
    await writeFile(path.join(dir, 'kept'), 'wheel');
    await writeFile(path.join(layers, `${PIP_CACHE_LAYER}.toml`), '[metadata]\npython = "3.12"\narch = "amd64"\n');
    const next = await prepare(layers);
    expect([next.saltRenewed, next.salt]).toEqual([true, expect.stringMatching(/^[0-9a-f]{64}$/)]);
    expect(await readFile(path.join(dir, 'kept'), 'utf8')).toBe('wheel');
  });

  test('a cache dropped for another Python minor starts with a new salt', async () => {
    const layers = path.join(tmp, 'minor');
    const before = await prepare(layers);
    const after = await prepare(layers, '3.13.1');
    expect(after.saltRenewed).toBe(true);
    expect(after.salt).not.toBe(before.salt);
  });
});
