import { constants } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { TOP_LEVEL_FILES, type App, type AppReads } from '../plan/app.js';
import { isLockFile } from '../plan/install-source.js';
import { BuildError } from '../output/build-error.js';
import { isMissing } from './fs.js';

/** Version, requirements and source files are small; anything bigger is not what it claims to be. */
export const MAX_APP_FILE_BYTES = 1024 * 1024;
/** Lock files list every file of every locked package, for every platform: big projects' exceed 1 MiB. */
export const MAX_LOCK_FILE_BYTES = 16 * 1024 * 1024;

function isInside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * A file's text, or undefined when it does not exist. Only regular files of sane size that
 * resolve inside the app are read (no links out of it, FIFOs or devices); anything else,
 * and any other failure, is an error naming the file.
 */
async function readText(dir: string, rel: string): Promise<{ text: string; executable: boolean } | undefined> {
  let real: string;
  try {
    real = await realpath(path.join(dir, rel));
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw new BuildError({ kind: 'app-file-unreadable', file: rel, why: (err as Error).message });
  }
  if (!isInside(await realpath(dir), real)) throw new BuildError({ kind: 'app-file-outside', file: rel });
  // O_NONBLOCK: opening a FIFO must not wait for a writer before we can see what it is.
  const handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK).catch((err: Error) => {
    throw new BuildError({ kind: 'app-file-unreadable', file: rel, why: err.message });
  });
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new BuildError({ kind: 'app-file-not-regular', file: rel });
    const limit = isLockFile(rel) ? MAX_LOCK_FILE_BYTES : MAX_APP_FILE_BYTES;
    if (info.size > limit) throw new BuildError({ kind: 'app-file-too-large', file: rel, size: info.size, limit });
    return { text: await handle.readFile('utf8'), executable: (info.mode & 0o111) !== 0 };
  } finally {
    await handle.close();
  }
}

async function listDir(dir: string, rel: string): Promise<string[] | undefined> {
  try {
    return (await readdir(path.join(dir, rel))).sort();
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw new BuildError({ kind: 'app-file-unreadable', file: `${rel}/`, why: (err as Error).message });
  }
}

async function readTopLevel(dir: string): Promise<App> {
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
  for (const name of TOP_LEVEL_FILES) {
    const read = files.has(name) ? await readText(dir, name) : undefined;
    if (read !== undefined) contents.set(name, read.text);
  }
  return { dir, files, dirs, executables, contents, listings: new Map() };
}

/**
 * Reads the app once, before any decision: the top level, then what `reads` names, again
 * while reading names more (a requirements file's includes, Django's settings, then the
 * WSGI module the settings name).
 */
export async function readApp(dir: string, reads: (app: App) => AppReads): Promise<App> {
  let app = await readTopLevel(dir);
  const tried = new Set<string>();
  for (;;) {
    const wanted = reads(app);
    const files = wanted.files.filter((f) => !tried.has(f) && !app.contents.has(f));
    const dirs = wanted.dirs.filter((d) => !tried.has(`${d}/`));
    if (files.length === 0 && dirs.length === 0) return app;
    const contents = new Map(app.contents);
    const listings = new Map(app.listings);
    const executables = new Set(app.executables);
    for (const rel of files) {
      tried.add(rel);
      const read = await readText(dir, rel);
      if (read === undefined) continue;
      contents.set(rel, read.text);
      if (read.executable) executables.add(rel);
    }
    for (const rel of dirs) {
      tried.add(`${rel}/`);
      const names = await listDir(dir, rel);
      if (names !== undefined) listings.set(rel, names);
    }
    app = { ...app, contents, listings, executables };
  }
}
