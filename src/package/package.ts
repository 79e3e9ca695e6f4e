import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, copyFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { launcherSources } from '../../layers/launcher.js';
import { parseBuildpackToml } from '../cnb/buildpack-toml.js';
import { NODE_PATH, OPTIONAL_DOCS, packageEntries, packageName, type PackageEntry, type PackageFile } from './layout.js';
import { checkPackagingNode, PACKAGE_PLATFORM, packagedBuildpackToml } from './node-metadata.js';
import { writeTgz } from './tar.js';

export type PackageFormat = 'dir' | 'tgz';

/** The Node that goes into the package: normally the running one. */
export interface PackagedNode { execPath: string; version: string; platform: string; arch: string }

export interface PackageOptions { sourceDir: string; outputDir: string; format: PackageFormat; node: PackagedNode }
export interface PackageResult { id: string; version: string; path: string; bytes: number; entries: PackageEntry[] }

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

const exists = (file: string) => stat(file).then(() => true, () => false);

/** What goes into the package, read from a buildpack source tree (the repo, after `npm run build`). */
async function collectFiles(sourceDir: string, node: PackagedNode): Promise<{ id: string; version: string; files: PackageFile[] }> {
  const tomlText = await readFile(path.join(sourceDir, 'buildpack.toml'), 'utf8');
  const { id, version } = parseBuildpackToml(tomlText);
  const toml = packagedBuildpackToml(tomlText, { version: node.version, sha256: await sha256File(node.execPath), platform: PACKAGE_PLATFORM });
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
    { path: NODE_PATH, source: node.execPath },
  ];
  for (const doc of OPTIONAL_DOCS) if (await exists(path.join(sourceDir, doc))) files.push(from(doc));
  return { id, version, files };
}

/** The .tgz's size, or the sum of the files' sizes for a directory. */
async function sizeOf(target: string, entries: readonly PackageEntry[]): Promise<number> {
  const info = await stat(target);
  if (info.isFile()) return info.size;
  let total = 0;
  for (const e of entries) if (e.type === 'file') total += (await stat(path.join(target, e.path))).size;
  return total;
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

/**
 * Writes the package next to its final path, then renames it into place, so a failed
 * run never leaves half a package where pack would pick it up.
 */
export async function packageBuildpack(opts: PackageOptions): Promise<PackageResult> {
  checkPackagingNode(opts.node.platform, opts.node.arch);
  const { id, version, files } = await collectFiles(opts.sourceDir, opts.node);
  const entries = packageEntries(files);
  const target = path.join(opts.outputDir, `${packageName(id, version)}${opts.format === 'tgz' ? '.tgz' : ''}`);
  const partial = `${target}.partial-${process.pid}`;
  await mkdir(opts.outputDir, { recursive: true });
  try {
    if (opts.format === 'tgz') {
      await writeTgz(entries, partial);
    } else {
      await mkdir(partial);
      await chmod(partial, 0o755);
      await writeDir(entries, partial);
    }
    await rm(target, { recursive: true, force: true });
    await rename(partial, target);
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
  return { id, version, path: target, bytes: await sizeOf(target, entries), entries };
}
