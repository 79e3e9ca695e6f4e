import { access, constants, stat } from 'node:fs/promises';
import path from 'node:path';
import { BuildError } from '../output/build-error.js';
import type { ImageMetadata } from './image-metadata.js';

/** What to run: the process type (for `env.launch/<type>` and `exec.d/<type>`), argv and working dir. */
export interface LaunchCommand {
  type?: string;
  argv: string[];
  workingDir?: string;
}

/**
 * `command[1..]` is always passed; user arguments replace the default `args`. This is
 * the launcher's rule for Platform API ≥ 0.10 and buildpacks of API ≥ 0.9, both for a
 * one-element command and a longer one.
 */
export function processArgv(process: { command: readonly string[]; args?: readonly string[] }, userArgs: readonly string[]): string[] {
  return [...process.command, ...(userArgs.length > 0 ? userArgs : (process.args ?? []))];
}

/** The requested process, else the default one, else the user's own command. */
export function selectProcess(metadata: ImageMetadata, requested: string | undefined, userArgs: readonly string[]): LaunchCommand {
  const type = requested ?? metadata.defaultProcess;
  if (type === undefined) {
    if (userArgs.length > 0) return { argv: [...userArgs] };
    throw new BuildError({ kind: 'no-default-process' });
  }
  const process = metadata.processes.find((p) => p.type === type);
  if (!process) throw new BuildError({ kind: 'process-type-unknown', type, known: metadata.processes.map((p) => p.type) });
  return { type, argv: processArgv(process, userArgs), ...(process.workingDir !== undefined ? { workingDir: process.workingDir } : {}) };
}

async function isExecutableFile(file: string): Promise<boolean> {
  if (!(await stat(file).catch(() => undefined))?.isFile()) return false;
  return access(file, constants.X_OK).then(
    () => true,
    () => false,
  );
}

/**
 * Finds `name` on `pathVar` like exec.LookPath: a name with a slash is used as is
 * (relative to `cwd`), others are searched in PATH order. There is no shell.
 */
export async function lookPath(name: string, pathVar: string | undefined, cwd: string): Promise<string | undefined> {
  if (name.includes('/')) return path.resolve(cwd, name);
  for (const dir of (pathVar ?? '').split(':')) {
    if (dir === '') continue;
    const candidate = path.resolve(cwd, dir, name);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}
