import { createHash } from 'node:crypto';
import { chmod, copyFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { launcherSources } from '../../layers/launcher.js';
import { parseBuildpackToml, type TargetSpec } from '../cnb/buildpack-toml.js';
import { pathExists } from '../effects/fs.js';
import { isTable, parseToml } from '../cnb/toml.js';
import { fetchNode } from './fetch-node.js';
import {
  layerEntries,
  layerRoot,
  NODE_LICENSE_PATH,
  NODE_PATH,
  OPTIONAL_DOCS,
  packageEntries,
  packageName,
  type PackageEntry,
  type PackageFile,
} from './layout.js';
import { ARCHES, NODE_PACKAGES, nodePackageSpec, type Arch } from './node-dist.js';
import { packagedBuildpackToml } from './node-metadata.js';
import {
  buildpackLabels,
  imageConfig,
  imageIndex,
  imageManifest,
  layoutIndex,
  MEDIA_TYPES,
  OCI_LAYOUT_FILE,
  type BuildpackInfo,
  type JsonBlob,
} from './oci.js';
import { writeTgz } from './tar.js';

export type PackageFormat = 'dir' | 'tgz' | 'oci';
export const PACKAGE_FORMATS: readonly PackageFormat[] = ['tgz', 'dir', 'oci'];

export interface PackageOptions {
  sourceDir: string;
  outputDir: string;
  format: PackageFormat;
  /** The architecture of a dir or tgz; an OCI layout always holds every one. */
  arch: Arch;
  /** Where the registry's Node tarballs are kept between runs. */
  cacheDir: string;
}

export interface PackageResult {
  id: string;
  version: string;
  format: PackageFormat;
  path: string;
  bytes: number;
  /** Entries of each architecture's buildpack. */
  entries: number;
  arches: Arch[];
  /** The shipped Node's version. */
  node: string;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

interface Buildpack {
  info: BuildpackInfo;
  entries: PackageEntry[];
  targets: TargetSpec[];
}

/** What goes into one architecture's buildpack, read from a buildpack source tree (the repo, after `npm run build`). */
async function collect(sourceDir: string, tomlText: string, arch: Arch, cacheDir: string): Promise<Buildpack> {
  const { id, version, name, api } = parseBuildpackToml(tomlText);
  const source = parseToml(tomlText, 'buildpack.toml');
  const homepage = isTable(source.buildpack) && typeof source.buildpack.homepage === 'string' ? source.buildpack.homepage : undefined;
  const pkg = NODE_PACKAGES[arch];
  const node = await fetchNode(pkg, cacheDir);
  const toml = packagedBuildpackToml(tomlText, {
    version: pkg.version,
    sha256: sha256(node.node),
    platform: `linux/${arch}`,
    package: nodePackageSpec(pkg),
    integrity: pkg.integrity,
  });
  const from = (rel: string): PackageFile => ({ path: rel, source: path.join(sourceDir, rel) });
  // readFile follows links: the repo's bin/build → detect link ships as a regular file.
  const files: PackageFile[] = [
    { path: 'buildpack.toml', source: Buffer.from(toml) },
    from('bin/detect'),
    from('bin/build'),
    // bin/detect sources detect.sh and starts Node on detect.cjs only when that cannot decide.
    from('dist/detect.sh'),
    from('dist/detect.cjs'),
    from('dist/pywarp.js'),
    // The same files the build copies into the launcher layer (layers/launcher.ts).
    ...(await launcherSources(sourceDir)).map((file) => from(path.relative(sourceDir, file))),
    { path: NODE_PATH, source: node.node },
    { path: NODE_LICENSE_PATH, source: node.license },
  ];
  for (const doc of OPTIONAL_DOCS) if (await pathExists(path.join(sourceDir, doc))) files.push(from(doc));
  const targets = parseBuildpackToml(toml, 'the packaged buildpack.toml').targets;
  return { info: { api, id, version, name, ...(homepage ? { homepage } : {}) }, entries: packageEntries(files), targets };
}

async function writeDir(entries: readonly PackageEntry[], dir: string): Promise<void> {
  for (const entry of entries) {
    const target = path.join(dir, entry.path);
    if (entry.type === 'directory') await mkdir(target);
    else if (typeof entry.source === 'string') await copyFile(entry.source, target);
    else await writeFile(target, entry.source);
    // Explicit modes: the umask and the source files' own modes must not leak in.
    await chmod(target, entry.mode);
  }
}

/** Writes the OCI image layout into `dir`: one buildpackage image per architecture under a multi-arch index. Returns the blobs' total size. */
async function writeOciLayout(buildpacks: readonly (Buildpack & { arch: Arch })[], dir: string): Promise<number> {
  const blobs = path.join(dir, 'blobs', 'sha256');
  await mkdir(blobs, { recursive: true });
  let bytes = 0;
  const putJson = async (blob: JsonBlob) => {
    await writeFile(path.join(blobs, blob.descriptor.digest.slice('sha256:'.length)), blob.bytes);
    bytes += blob.bytes.length;
    return blob.descriptor;
  };
  const images = [];
  for (const bp of buildpacks) {
    const partial = path.join(blobs, `layer-${bp.arch}.partial`);
    const layer = await writeTgz(layerEntries(bp.entries, layerRoot(bp.info.id, bp.info.version)), partial);
    await rename(partial, path.join(blobs, layer.digest.slice('sha256:'.length)));
    bytes += layer.size;
    const config = await putJson(imageConfig(bp.arch, buildpackLabels(bp.info, bp.targets, layer.diffId), layer.diffId));
    const manifest = await putJson(imageManifest(config, { mediaType: MEDIA_TYPES.layer, digest: layer.digest, size: layer.size }));
    images.push({ arch: bp.arch, manifest });
  }
  const index = await putJson(imageIndex(images));
  await writeFile(path.join(dir, 'index.json'), layoutIndex(index, buildpacks[0]!.info.version));
  await writeFile(path.join(dir, 'oci-layout'), OCI_LAYOUT_FILE);
  return bytes;
}

async function fileSizes(dir: string, entries: readonly PackageEntry[]): Promise<number> {
  let total = 0;
  for (const e of entries) if (e.type === 'file') total += (await stat(path.join(dir, e.path))).size;
  return total;
}

/**
 * Writes the package next to its final path, then renames it into place, so a failed
 * run never leaves half a package where pack would pick it up.
 */
export async function packageBuildpack(opts: PackageOptions): Promise<PackageResult> {
  const tomlText = await readFile(path.join(opts.sourceDir, 'buildpack.toml'), 'utf8');
  const arches: Arch[] = opts.format === 'oci' ? [...ARCHES] : [opts.arch];
  const { id, version } = parseBuildpackToml(tomlText);
  const name = packageName(id, version, opts.format === 'oci' ? 'oci' : opts.arch);
  const target = path.join(opts.outputDir, `${name}${opts.format === 'tgz' ? '.tgz' : ''}`);
  const partial = `${target}.partial-${process.pid}`;
  await mkdir(opts.outputDir, { recursive: true });
  let bytes = 0;
  let entries = 0;
  try {
    if (opts.format === 'oci') {
      const buildpacks = [];
      // One architecture at a time: each Node binary is ~100 MB in memory.
      for (const arch of arches) {
        const bp = await collect(opts.sourceDir, tomlText, arch, opts.cacheDir);
        buildpacks.push({ ...bp, arch });
        entries = bp.entries.length;
      }
      await mkdir(partial);
      bytes = await writeOciLayout(buildpacks, partial);
    } else {
      const bp = await collect(opts.sourceDir, tomlText, opts.arch, opts.cacheDir);
      entries = bp.entries.length;
      if (opts.format === 'tgz') {
        bytes = (await writeTgz(bp.entries, partial)).size;
      } else {
        await mkdir(partial);
        await chmod(partial, 0o755);
        await writeDir(bp.entries, partial);
        bytes = await fileSizes(partial, bp.entries);
      }
    }
    await rm(target, { recursive: true, force: true });
    await rename(partial, target);
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
  return { id, version, format: opts.format, path: target, bytes, entries, arches, node: NODE_PACKAGES[arches[0]!].version };
}
