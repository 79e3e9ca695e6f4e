import path from 'node:path';
import { escapeBuildpackId } from '../cnb/buildpack-toml.js';

/** One entry of the packaged buildpack. A file's content is a path to copy from, or the bytes themselves. */
export type PackageEntry =
  { type: 'directory'; path: string; mode: number } | { type: 'file'; path: string; mode: number; source: string | Buffer };

export interface PackageFile {
  path: string;
  source: string | Buffer;
}

/** Where the shipped Node goes: bin/detect runs `$bp_dir/node/bin/node` when it exists. */
export const NODE_PATH = 'node/bin/node';
/** Node's license travels with its binary. */
export const NODE_LICENSE_PATH = 'node/LICENSE';

// The lifecycle execs bin/detect and bin/build; the shims exec node.
const EXECUTABLES = new Set(['bin/detect', 'bin/build', NODE_PATH]);

/** Files shipped from the source tree as they are, besides bin/, the launcher and node. */
export const OPTIONAL_DOCS = ['LICENSE', 'README.md'];

export function fileMode(relPath: string): number {
  return EXECUTABLES.has(relPath) ? 0o755 : 0o644;
}

/** Every ancestor directory of the given paths, e.g. 'layers/launcher/a.py' → 'layers', 'layers/launcher'. */
export function parentDirs(paths: readonly string[]): string[] {
  const dirs = new Set<string>();
  for (const p of paths) {
    for (let dir = path.posix.dirname(p); dir !== '.'; dir = path.posix.dirname(dir)) dirs.add(dir);
  }
  return [...dirs];
}

// Byte order, not localeCompare: the same on every machine, and a directory sorts before its contents.
const byPath = (a: { path: string }, b: { path: string }): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/**
 * The package as a sorted list with every directory explicit, so the archive is the same
 * bytes whatever order the file system lists things in and whatever the umask is.
 */
export function packageEntries(files: readonly PackageFile[]): PackageEntry[] {
  const dirs = parentDirs(files.map((f) => f.path)).map((p): PackageEntry => ({ type: 'directory', path: p, mode: 0o755 }));
  const regular = files.map((f): PackageEntry => ({ type: 'file', path: f.path, mode: fileMode(f.path), source: f.source }));
  return [...dirs, ...regular].sort(byPath);
}

/** `pywarp/python` 0.1.0 amd64 → `pywarp-python-0.1.0-amd64`: the name of the .tgz or directory. */
export function packageName(id: string, version: string, arch?: string): string {
  return `${id.replaceAll('/', '-')}-${version}${arch ? `-${arch}` : ''}`;
}

/** Where a buildpackage layer holds the buildpack (CNB distribution spec): `/` in the id becomes `_`. */
export function layerRoot(id: string, version: string): string {
  return `cnb/buildpacks/${escapeBuildpackId(id)}/${version}`;
}

/**
 * The package's entries moved under `root`, with root's ancestors as explicit 0755
 * directories first: one buildpackage layer.
 */
export function layerEntries(entries: readonly PackageEntry[], root: string): PackageEntry[] {
  const ancestors = parentDirs([`${root}/x`])
    .sort()
    .map((p): PackageEntry => ({ type: 'directory', path: p, mode: 0o755 }));
  return [...ancestors, ...entries.map((e) => ({ ...e, path: `${root}/${e.path}` }))];
}
