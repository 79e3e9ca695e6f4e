import type { Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';

/**
 * Optional files, in one place. Only "nothing is there" is an answer: ENOENT, or ENOTDIR when
 * a parent is a file. Anything else (EACCES, EISDIR, EIO) is thrown, so that a file the build
 * cannot read stops it with the path instead of silently dropping out.
 */
export function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

// Errors of fd-based calls (EISDIR from a read) carry no path: the message must still name the file.
function naming(err: unknown, file: string): unknown {
  const errno = err as NodeJS.ErrnoException | undefined;
  if (errno?.code && !errno.path) errno.path = file;
  return err;
}

/** What is at `file` (following symlinks), or undefined when nothing is. */
export async function statIfExists(file: string): Promise<Stats | undefined> {
  try {
    return await stat(file);
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
}

/** The text of `file`, or undefined when there is no such file. */
export async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw naming(err, file);
  }
}

/** Is anything (a file, a directory, a live symlink) at `file`? */
export async function pathExists(file: string): Promise<boolean> {
  return (await statIfExists(file)) !== undefined;
}

export async function isFile(file: string): Promise<boolean> {
  return (await statIfExists(file))?.isFile() ?? false;
}

export async function isDirectory(file: string): Promise<boolean> {
  return (await statIfExists(file))?.isDirectory() ?? false;
}
