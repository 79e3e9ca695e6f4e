import { constants } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { TOP_LEVEL_FILES, type App, type AppReads } from '../plan/app.js';
import { isLockFile } from '../plan/install-source.js';
import { BuildError } from '../output/build-error.js';
import { isMissing } from './fs.js';

/** Version, requirements and source files are small; anything bigger is not what it claims to be. */
export const MAX_APP_FILE_BYTES = 1024 * 1024;
/**
 * Rounds of reading: one per level of requirements includes (and a few for Django's modules).
 * pip itself fails a few hundred levels down; no project nests this deep.
 */
export const MAX_READ_ROUNDS = 50;
/** Lock files list every file of every locked package, for every platform: big projects' exceed 1 MiB. */
export const MAX_LOCK_FILE_BYTES = 16 * 1024 * 1024;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function isUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The text (U+FFFD for bytes that are not UTF-8, as before), and the 1-based lines that are not UTF-8. */
export function decodeUtf8(bytes: Buffer): { text: string; notUtf8: number[] } {
  const text = bytes.toString('utf8');
  if (isUtf8(bytes)) return { text, notUtf8: [] };
  const notUtf8: number[] = [];
  for (let start = 0, line = 1; start <= bytes.length; line++) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline === -1 ? bytes.length : newline;
    if (!isUtf8(bytes.subarray(start, end))) notUtf8.push(line);
    start = end + 1;
  }
  return { text, notUtf8 };
}

function isInside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The app directory, and where it really is (resolved once: every file read must resolve inside it). */
interface Root {
  dir: string;
  real: string;
}

/**
 * A file's text, or undefined when it does not exist. Only regular files of sane size that
 * resolve inside the app are read (no links out of it, FIFOs or devices); anything else,
 * and any other failure, is an error naming the file.
 */
async function readText(root: Root, rel: string): Promise<{ text: string; notUtf8: number[]; executable: boolean } | undefined> {
  let real: string;
  try {
    real = await realpath(path.join(root.dir, rel));
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw new BuildError({ kind: 'app-file-unreadable', file: rel, why: (err as Error).message });
  }
  if (!isInside(root.real, real)) throw new BuildError({ kind: 'app-file-outside', file: rel });
  // O_NONBLOCK: opening a FIFO must not wait for a writer before we can see what it is.
  const handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK).catch((err: Error) => {
    throw new BuildError({ kind: 'app-file-unreadable', file: rel, why: err.message });
  });
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new BuildError({ kind: 'app-file-not-regular', file: rel });
    const limit = isLockFile(rel) ? MAX_LOCK_FILE_BYTES : MAX_APP_FILE_BYTES;
    if (info.size > limit) throw new BuildError({ kind: 'app-file-too-large', file: rel, size: info.size, limit });
    return { ...decodeUtf8(await handle.readFile()), executable: (info.mode & 0o111) !== 0 };
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

/** The app being read: the maps only grow, so what was decided from them stays true. */
interface Reading {
  app: App;
  contents: Map<string, string>;
  executables: Set<string>;
  notUtf8: Map<string, readonly number[]>;
}

async function readInto(reading: Reading, root: Root, rel: string): Promise<void> {
  const read = await readText(root, rel);
  if (read === undefined) return;
  reading.contents.set(rel, read.text);
  if (read.executable) reading.executables.add(rel);
  if (read.notUtf8.length) reading.notUtf8.set(rel, read.notUtf8);
}

async function readTopLevel(root: Root): Promise<Reading> {
  const files = new Set<string>();
  const dirs = new Set<string>();
  const executables = new Set<string>();
  for (const name of await readdir(root.dir)) {
    const info = await stat(path.join(root.dir, name)).catch(() => undefined);
    if (info?.isDirectory()) dirs.add(name);
    if (info?.isFile()) {
      files.add(name);
      if (info.mode & 0o111) executables.add(name);
    }
  }
  const contents = new Map<string, string>();
  const notUtf8 = new Map<string, readonly number[]>();
  const app: App = { dir: root.dir, files, dirs, executables, contents, listings: new Map(), notUtf8 };
  const reading = { app, contents, executables, notUtf8 };
  for (const name of TOP_LEVEL_FILES) if (files.has(name)) await readInto(reading, root, name);
  return reading;
}

/**
 * Reads the app once, before any decision: the top level, then what `reads` names, again
 * while reading names more (a requirements file's includes, Django's settings, then the
 * WSGI module the settings name). Each round only adds to the same app, and each file is
 * asked for once: the work is that of the files read, however deep the includes go.
 */
export async function readApp(dir: string, reads: (app: App) => AppReads): Promise<App> {
  const root = { dir, real: await realpath(dir) };
  const reading = await readTopLevel(root);
  const { app } = reading;
  const listings = app.listings as Map<string, readonly string[]>;
  const tried = new Set<string>();
  for (let round = 1; ; round++) {
    const wanted = reads(app);
    const files = new Set(wanted.files.filter((f) => !tried.has(f) && !app.contents.has(f)));
    const dirs = new Set(wanted.dirs.filter((d) => !tried.has(`${d}/`)));
    if (files.size === 0 && dirs.size === 0) return app;
    if (round > MAX_READ_ROUNDS) throw new BuildError({ kind: 'app-reads-too-deep', limit: MAX_READ_ROUNDS, files: [...files] });
    for (const rel of files) {
      tried.add(rel);
      await readInto(reading, root, rel);
    }
    for (const rel of dirs) {
      tried.add(`${rel}/`);
      const names = await listDir(dir, rel);
      if (names !== undefined) listings.set(rel, names);
    }
  }
}
