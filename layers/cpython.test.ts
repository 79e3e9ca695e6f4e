import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Dependency } from '../src/plan/cpython-table.js';
import { BuildError } from '../src/output/build-error.js';
import { createLog } from '../src/output/log.js';
import { writeTarBomb, writeTarGz } from '../test/support/archives.js';
import { CPYTHON_LAYER, downloadDir, installCpython } from './cpython.js';
import { failureText } from '../src/output/messages.js';

let tmp: string;
let layersDir: string;
beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pywarp-cpython-layer-'));
  layersDir = path.join(tmp, 'layers');
  await mkdir(layersDir);
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** A stand-in archive (not a CPython: the layer only downloads, verifies and extracts it). */
async function dependency(sha256?: string): Promise<Dependency> {
  const archive = path.join(tmp, 'python.tar.gz');
  const actual = await writeTarGz(archive, [{ name: 'python/bin/python3', content: '#!/bin/sh\n' }]);
  return {
    id: 'cpython',
    name: 'CPython',
    version: '3.12.7',
    arch: 'amd64',
    uri: pathToFileURL(archive).toString(),
    sha256: sha256 ?? actual,
    stripComponents: 1,
    source: 'test',
  };
}

function install(dep: Dependency) {
  return installCpython({
    layersDir,
    dependency: dep,
    target: { os: 'linux', arch: 'amd64' },
    config: {},
    bindings: [],
    canRunTarget: false,
    log: createLog(() => undefined),
  });
}

describe('the cpython layer downloads next to the layer, never leaving the archive behind', () => {
  test('a download left by a killed build is removed, and the new one too once extracted', async () => {
    await mkdir(downloadDir(layersDir));
    await writeFile(path.join(downloadDir(layersDir), 'cpython.tar.gz'), 'half of an earlier download');
    const layer = await install(await dependency());
    expect(await readFile(path.join(layer.path, 'bin', 'python3'), 'utf8')).toBe('#!/bin/sh\n');
    expect((await readdir(layersDir)).sort()).toEqual([CPYTHON_LAYER, `${CPYTHON_LAYER}.sbom.cdx.json`, `${CPYTHON_LAYER}.toml`]);
  });

  test('a failed download leaves neither the archive nor the layer', async () => {
    const err = await install(await dependency('0'.repeat(64))).catch((e: unknown) => e);
    expect(failureText((err as BuildError).failure).title).toBe('Python 3.12.7 failed checksum verification');
    expect(await readdir(layersDir)).toEqual([]);
  });
});

test('a gzip bomb with a valid checksum fails at once, with a titled error giving the limit', async () => {
  // One entry announcing 8 GiB of zeros, and the first MiB of them: the sha256 is right.
  const archive = path.join(tmp, 'bomb.tar.gz');
  const dep = { ...(await dependency()), uri: pathToFileURL(archive).toString(), sha256: await writeTarBomb(archive, 8 * 1024 ** 3) };
  const err = await install(dep).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(BuildError);
  expect(failureText((err as BuildError).failure).title).toBe("Can't extract Python 3.12.7");
  expect(failureText((err as BuildError).failure).body).toContain(
    'passed its checksum but could not be extracted: it expands to more than 2 GiB, the most pywarp extracts.',
  );
  expect(await readdir(layersDir)).toEqual([]);
});
