import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { execa } from 'execa';
import { extract } from 'tar-stream';
import { pathExists } from '../effects/fs.js';
import { BuildError } from '../output/build-error.js';
import { elfMachine, nodePackageSpec, nodeTarballName, parseIntegrity, type NodePackage } from './node-dist.js';

/** The files a package ships from a Node registry package. */
export interface FetchedNode {
  node: Buffer;
  license: Buffer;
  tarball: string;
}

async function sha512Hex(file: string): Promise<string> {
  const hash = createHash('sha512');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/**
 * `npm pack <spec>` into a fresh folder, so the user's npm configuration (registry mirror,
 * proxy, CA) applies, then moved into the cache once complete.
 */
async function npmPack(pkg: NodePackage, cacheDir: string, target: string): Promise<void> {
  const tmp = await mkdtemp(path.join(cacheDir, '.fetch-'));
  try {
    const result = await execa('npm', ['pack', nodePackageSpec(pkg), '--pack-destination', tmp, '--silent'], {
      reject: false,
      all: true,
      cwd: tmp,
      timeout: 600_000,
    });
    const [file] = (await readdir(tmp)).filter((name) => name.endsWith('.tgz'));
    if (result.exitCode !== 0 || !file)
      throw new BuildError({ kind: 'node-fetch-failed', spec: nodePackageSpec(pkg), output: result.all ?? result.message });
    await rename(path.join(tmp, file), target);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** package/bin/node and package/LICENSE out of a Node registry tarball. */
async function readNodeFiles(tarball: string): Promise<{ node?: Buffer; license?: Buffer }> {
  const wanted = new Map<string, Buffer>();
  const reader = createReadStream(tarball).pipe(createGunzip()).pipe(extract());
  for await (const entry of reader) {
    const name = entry.header.name.replace(/^\.\//, '');
    if (name !== 'package/bin/node' && name !== 'package/LICENSE') {
      entry.resume();
      continue;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    wanted.set(name, Buffer.concat(chunks));
  }
  return { node: wanted.get('package/bin/node'), license: wanted.get('package/LICENSE') };
}

/**
 * The Node.js of a registry package, fetched once into `cacheDir` and checked against the
 * pinned integrity every time it is used: a cached tarball that no longer matches is fetched again.
 */
export async function fetchNode(pkg: NodePackage, cacheDir: string): Promise<FetchedNode> {
  const expected = parseIntegrity(pkg.integrity);
  if (!expected) throw new BuildError({ kind: 'node-integrity-invalid', spec: nodePackageSpec(pkg), integrity: pkg.integrity });
  await mkdir(cacheDir, { recursive: true });
  const tarball = path.join(cacheDir, nodeTarballName(pkg));
  if (!(await pathExists(tarball)) || (await sha512Hex(tarball)) !== expected.hex) {
    await rm(tarball, { force: true });
    await npmPack(pkg, cacheDir, tarball);
    const actual = await sha512Hex(tarball);
    if (actual !== expected.hex) {
      await rm(tarball, { force: true });
      throw new BuildError({
        kind: 'node-integrity-mismatch',
        spec: nodePackageSpec(pkg),
        expected: pkg.integrity,
        actual: `sha512-${Buffer.from(actual, 'hex').toString('base64')}`,
      });
    }
  }
  const { node, license } = await readNodeFiles(tarball);
  if (!node || !license) throw new BuildError({ kind: 'node-package-invalid', spec: nodePackageSpec(pkg) });
  const machine = elfMachine(node.subarray(0, 64));
  if (machine !== pkg.elfMachine)
    throw new BuildError({
      kind: 'node-wrong-machine',
      spec: nodePackageSpec(pkg),
      expected: pkg.elfMachine,
      ...(machine !== undefined ? { actual: machine } : {}),
    });
  return { node, license, tarball };
}
