import path from 'node:path';

/** One entry of the packaged buildpack. A file's content is a path to copy from, or the bytes themselves. */
export type PackageEntry =
  | { type: 'directory'; path: string; mode: number }
  | { type: 'file'; path: string; mode: number; source: string | Buffer };

export interface PackageFile { path: string; source: string | Buffer }

/** Where the shipped Node goes: bin/detect runs `$bp_dir/node/bin/node` when it exists. */
export const NODE_PATH = 'node/bin/node';

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

/** `pywarp/python` 0.1.0 → `pywarp-python-0.1.0`: the name of the .tgz or directory. */
export function packageName(id: string, version: string): string {
  return `${id.replaceAll('/', '-')}-${version}`;
}
