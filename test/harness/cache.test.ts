// Layers across builds: what comes back from the cache and the previous image (spec §4.4),
// launch-layer reuse, and what a failed build leaves behind.
import { lstat, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build, executable, launch, makeSandbox, removeSandbox, snapshot, writeTree, type Sandbox } from './harness.js';

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await makeSandbox();
});
afterEach(() => removeSandbox(sandbox));

const image = (...parts: string[]) => path.join(sandbox.layers, 'test_cache', ...parts);

async function buildOk(extra: string[] = []) {
  const result = await build(sandbox, 'cache', extra);
  expect(result.all).not.toMatch(/Error/);
  expect(result.exitCode).toBe(0);
  return result.all;
}

test('a first build restores nothing', async () => {
  expect(await buildOk()).toMatch(/^restored: $/m);
});

test('the second build gets cached layers with their content and SBOM, launch-only metadata without a directory, and no build-only layer', async () => {
  await buildOk();
  const second = await buildOk();
  expect(second).toMatch(/^restored: cached cached\.sbom\.cdx\.json cached\.toml cacheonly cacheonly\.toml launchonly\.toml $/m);
  // Restored metadata files hold only [metadata]: the buildpack must re-type its layers.
  for (const layer of ['cached', 'cacheonly', 'launchonly']) expect(second).toContain(`--- ${layer}.toml\n[metadata]\nbuild = 1\n`);
  expect(second).not.toMatch(/\[types\]/);
  expect(await readFile(image('cached', 'count'), 'utf8')).toBe('2\n');
});

test('a launch layer left without a directory is reused from the previous image', async () => {
  await buildOk();
  expect(await buildOk()).toContain("Reusing layer 'launchonly' from the previous image");
  expect(await readFile(image('launchonly', 'bin', 'show-launchonly'), 'utf8')).toContain('from build 1');
  expect((await launch(sandbox)).stdout).toBe('launch only from build 1');
});

test('reusing a launch layer that never existed fails the build', async () => {
  const result = await build(sandbox, 'cache', ['-e', 'GHOST=1']);
  expect(result.exitCode).toBe(1);
  expect(result.all).toMatch(/cannot reuse 'ghost'/);
  expect((await launch(sandbox)).exitCode).toBe(82);
});

test('a cached <layer>.toml that cannot be read is a cache miss, not a broken build', async () => {
  await buildOk();
  await writeFile(path.join(sandbox.cache, 'test_cache', 'cached.toml'), 'not toml [');
  const second = await buildOk();
  expect(second).toContain('Not restoring cached.toml: cached.toml is not valid TOML');
  expect(second).toMatch(/^restored: cacheonly cacheonly\.toml launchonly\.toml $/m);
});

test('the cache holds exactly the cached layers, saved after the build', async () => {
  await buildOk();
  expect(Object.keys(await snapshot(path.join(sandbox.cache, 'test_cache')))).toEqual([
    './',
    'cached/',
    'cached/count',
    'cached.sbom.cdx.json',
    'cached.toml',
    'cacheonly/',
    'cacheonly/stamp',
    'cacheonly.toml',
  ]);
});

test('a failed build leaves the previous image and the cache as they were', async () => {
  await buildOk();
  const before = { layers: await snapshot(sandbox.layers), cache: await snapshot(sandbox.cache) };
  const failed = await build(sandbox, 'cache', ['-e', 'FAIL=1']);
  expect(failed.exitCode).toBe(1);
  expect(failed.all).toMatch(/bin\/build failed[\s\S]*exited with code 1/);
  expect({ layers: await snapshot(sandbox.layers), cache: await snapshot(sandbox.cache) }).toEqual(before);
  expect((await launch(sandbox)).stdout).toBe('launch only from build 1');
});

test('cached layers keep their symlinks and modes exactly', async () => {
  await writeTree(sandbox.app, {
    'out/c.toml': '[types]\ncache = true\n',
    'out/c/bin/tool': executable('#!/bin/sh\n'),
    'out/c/secret': { content: 's', mode: 0o600 },
  });
  await symlink('bin/tool', path.join(sandbox.app, 'out/c/link'));
  expect((await build(sandbox, 'copy')).exitCode).toBe(0);
  const built = path.join(sandbox.layers, 'test_copy', 'c');
  const cached = path.join(sandbox.cache, 'test_copy', 'c');
  expect(await readlink(path.join(cached, 'link'))).toBe('bin/tool');
  for (const file of ['bin/tool', 'secret', 'bin']) {
    expect((await lstat(path.join(cached, file))).mode).toBe((await lstat(path.join(built, file))).mode);
  }
  expect((await lstat(path.join(cached, 'secret'))).mode & 0o777).toBe(0o600);
});
