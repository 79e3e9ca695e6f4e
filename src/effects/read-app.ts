import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/** The app's top level, read once before any decision is made. */
export interface AppFiles {
  dir: string;
  /** Regular files (or links to them) at the top level. */
  files: ReadonlySet<string>;
  dirs: ReadonlySet<string>;
  executables: ReadonlySet<string>;
  /** Contents of the small text files decisions are made from. */
  contents: ReadonlyMap<string, string>;
}

/** Files whose contents the build reads; anything else is looked at only by name. */
export const READ_FILES = [
  '.python-version', 'runtime.txt', 'pyproject.toml', 'Pipfile', 'uv.lock',
  'requirements.txt', 'setup.py', 'setup.cfg', 'Procfile', 'manage.py', 'wsgi.py',
] as const;

export async function readAppFiles(dir: string): Promise<AppFiles> {
  const files = new Set<string>();
  const dirs = new Set<string>();
  const executables = new Set<string>();
  for (const name of await readdir(dir)) {
    const info = await stat(path.join(dir, name)).catch(() => undefined);
    if (info?.isDirectory()) dirs.add(name);
    if (info?.isFile()) {
      files.add(name);
      if (info.mode & 0o111) executables.add(name);
    }
  }
  const contents = new Map<string, string>();
  for (const name of READ_FILES) {
    if (files.has(name)) contents.set(name, await readFile(path.join(dir, name), 'utf8'));
  }
  return { dir, files, dirs, executables, contents };
}

/** An in-memory app, for tests and for decisions that only need names and contents. */
export function appFilesFrom(dir: string, entries: Record<string, string>, extra: { dirs?: string[]; executables?: string[] } = {}): AppFiles {
  const names = Object.keys(entries);
  const contents = new Map(names.filter((n) => (READ_FILES as readonly string[]).includes(n)).map((n) => [n, entries[n] ?? '']));
  return { dir, files: new Set(names), dirs: new Set(extra.dirs ?? []), executables: new Set(extra.executables ?? []), contents };
}

/** The same app with more files' contents read (those that exist), e.g. a Django settings module. */
export async function withContents(app: AppFiles, relPaths: readonly string[]): Promise<AppFiles> {
  const contents = new Map(app.contents);
  for (const rel of relPaths) {
    if (contents.has(rel)) continue;
    const text = await readFile(path.join(app.dir, rel), 'utf8').catch(() => undefined);
    if (text !== undefined) contents.set(rel, text);
  }
  return { ...app, contents };
}

/** Reads the files `sources` names, again and again while reading them names more. */
export async function withSources(app: AppFiles, sources: (app: AppFiles) => string[]): Promise<AppFiles> {
  let current = app;
  for (let known = -1; ; ) {
    const wanted = sources(current);
    if (wanted.length === known) return current;
    known = wanted.length;
    current = await withContents(current, wanted);
  }
}
