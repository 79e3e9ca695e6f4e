import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fetchNode } from './fetch-node.js';
import { packageEntries } from './layout.js';
import type { NodePackage } from './node-dist.js';
import { BuildError } from '../output/build-error.js';
import { writeTgz } from './tar.js';

// A cached tarball that matches its integrity is used as is: these tests never reach a registry.

let cache: string;
beforeEach(async () => {
  cache = await mkdtemp(path.join(os.tmpdir(), 'pywarp-fetch-node-'));
});
afterEach(async () => {
  await rm(cache, { recursive: true, force: true });
});

function elf(machine: number): Buffer {
  const bytes = Buffer.alloc(128);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1], 0);
  bytes.writeUInt16LE(machine, 18);
  return bytes;
}

/** A registry-style tarball (package/…) in the cache, and the package that pins it. */
async function cached(files: Record<string, Buffer>, elfMachine = 62): Promise<NodePackage> {
  const pkg = { name: 'node-test-x64', version: '20.0.0', elfMachine };
  const tarball = path.join(cache, `${pkg.name}-${pkg.version}.tgz`);
  await writeTgz(packageEntries(Object.entries(files).map(([name, source]) => ({ path: `package/${name}`, source }))), tarball);
  return {
    ...pkg,
    integrity: `sha512-${createHash('sha512')
      .update(await readFile(tarball))
      .digest('base64')}`,
  };
}

test('node and its LICENSE come out of the cached tarball', async () => {
  const pkg = await cached({ 'bin/node': elf(62), LICENSE: Buffer.from('MIT'), 'include/node/x.h': Buffer.from('') });
  const fetched = await fetchNode(pkg, cache);
  expect(fetched.node.equals(elf(62))).toBe(true);
  expect(fetched.license.toString()).toBe('MIT');
  expect(fetched.tarball).toBe(path.join(cache, 'node-test-x64-20.0.0.tgz'));
});

test('a node built for another machine is refused', async () => {
  const pkg = await cached({ 'bin/node': elf(183), LICENSE: Buffer.from('MIT') }, 62);
  await expect(fetchNode(pkg, cache)).rejects.toThrow(
    new BuildError({ kind: 'node-wrong-machine', spec: 'node-test-x64@20.0.0', expected: 62, actual: 183 }),
  );
});

test('a package without bin/node or LICENSE is not a Node.js build', async () => {
  const pkg = await cached({ 'bin/node': elf(62) });
  await expect(fetchNode(pkg, cache)).rejects.toThrow('node-test-x64@20.0.0 has no package/bin/node and package/LICENSE');
});

test('a pinned integrity that is not sha512 SRI is refused before anything is fetched', async () => {
  await expect(fetchNode({ name: 'x', version: '1.0.0', integrity: 'sha1-abc', elfMachine: 62 }, cache)).rejects.toThrow(
    'is not a sha512 SRI string',
  );
});
