import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ENV_NAME_PATTERN } from './env.js';
import { PROCESS_TYPE_PATTERN } from './launch-toml.js';

/** Where a variable applies: build and launch, one of them, or one process type at launch. */
export type EnvScope = 'all' | 'build' | 'launch' | { process: string };

/**
 * One env-file modification. Prepend and append always carry their delimiter: without a
 * `.delim` file the lifecycle glues values together with nothing in between.
 */
export type EnvEntry =
  | { scope: EnvScope; action: 'override' | 'default'; name: string; value: string }
  | { scope: EnvScope; action: 'prepend' | 'append'; name: string; value: string; delim: string };

export function envDirName(scope: EnvScope): string {
  if (scope === 'all') return 'env';
  if (scope === 'build') return 'env.build';
  if (scope === 'launch') return 'env.launch';
  // One path component: "", ".", ".." or a "/" would name a dir outside env.launch/.
  if (['', '.', '..'].includes(scope.process) || scope.process.includes('/')) {
    throw new Error(`"${scope.process}" is not a valid process type`);
  }
  return path.join('env.launch', scope.process);
}

/** The files a set of entries becomes, relative to the layer: path → content. */
export function layerEnvFiles(entries: readonly EnvEntry[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of entries) {
    if (!ENV_NAME_PATTERN.test(entry.name)) throw new Error(`"${entry.name}" is not a valid environment variable name`);
    // The lifecycle uses contents verbatim, so a trailing newline would become part of the value.
    for (const text of entry.action === 'prepend' || entry.action === 'append' ? [entry.value, entry.delim] : [entry.value]) {
      if (/[\r\n]$/.test(text)) throw new Error(`the value of ${entry.name} ends with a newline`);
    }
    if (typeof entry.scope === 'object' && !PROCESS_TYPE_PATTERN.test(entry.scope.process)) {
      throw new Error(`"${entry.scope.process}" is not a valid process type`);
    }
    const dir = envDirName(entry.scope);
    const file = path.join(dir, `${entry.name}.${entry.action}`);
    if (files.has(file)) throw new Error(`${file} is set twice`);
    files.set(file, entry.value);
    if (entry.action === 'prepend' || entry.action === 'append') {
      const delimFile = path.join(dir, `${entry.name}.delim`);
      const existing = files.get(delimFile);
      if (existing !== undefined && existing !== entry.delim) throw new Error(`${delimFile} has two delimiters`);
      files.set(delimFile, entry.delim);
    }
  }
  return files;
}

export async function writeLayerEnv(layerPath: string, entries: readonly EnvEntry[]): Promise<void> {
  for (const [file, content] of layerEnvFiles(entries)) {
    await mkdir(path.dirname(path.join(layerPath, file)), { recursive: true });
    await writeFile(path.join(layerPath, file), content);
  }
}

/**
 * Applies the files of one env directory to `env` as the lifecycle does: in file-name
 * order; bare and `.override` replace, `.default` sets only an empty variable, `.prepend`
 * and `.append` join with the `.delim` of the same directory (only when there is
 * something to join to). Unknown suffixes are ignored.
 */
export function applyEnvFiles(env: Record<string, string>, files: ReadonlyMap<string, string>): void {
  const names = [...files.keys()].sort();
  for (const file of names) {
    const value = files.get(file) ?? '';
    const dot = file.indexOf('.');
    const name = dot < 0 ? file : file.slice(0, dot);
    const action = dot < 0 ? 'override' : file.slice(dot + 1);
    const current = env[name] ?? '';
    const delim = files.get(`${name}.delim`) ?? '';
    switch (action) {
      case 'override':
        env[name] = value;
        break;
      case 'default':
        if (current === '') env[name] = value;
        break;
      case 'prepend':
        env[name] = current === '' ? value : value + delim + current;
        break;
      case 'append':
        env[name] = current === '' ? value : current + delim + value;
        break;
    }
  }
}

/** Reads the regular files of an env directory; a missing directory has none. */
export async function readEnvDir(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return files;
    throw err;
  }
  for (const entry of entries) {
    if (entry.isFile()) files.set(entry.name, await readFile(path.join(dir, entry.name), 'utf8'));
  }
  return files;
}

/**
 * Applies entries in memory as the lifecycle applies a layer's env directories for a
 * phase: `env/`, then `env.build/` or `env.launch/` (then `env.launch/<type>/`).
 */
export function applyEnvEntries(
  env: Record<string, string>,
  entries: readonly EnvEntry[],
  phase: 'build' | 'launch',
  processType?: string,
): void {
  const files = layerEnvFiles(entries);
  const dirs = [
    'env',
    phase === 'build' ? 'env.build' : 'env.launch',
    ...(phase === 'launch' && processType ? [path.join('env.launch', processType)] : []),
  ];
  for (const dir of dirs) {
    const inDir = new Map([...files].filter(([file]) => path.dirname(file) === dir).map(([file, value]) => [path.basename(file), value]));
    applyEnvFiles(env, inDir);
  }
}

/** What the lifecycle derives from a layer's `bin/` and `lib/` for the build phase, before its env files. */
export function layerDirEntries(layerPath: string, dirs: { bin?: boolean; lib?: boolean }): EnvEntry[] {
  return [
    ...(dirs.bin ? [{ scope: 'build', action: 'prepend', name: 'PATH', value: path.join(layerPath, 'bin'), delim: ':' } as const] : []),
    ...(dirs.lib
      ? [{ scope: 'build', action: 'prepend', name: 'LD_LIBRARY_PATH', value: path.join(layerPath, 'lib'), delim: ':' } as const]
      : []),
  ];
}

/** A layer's contribution to the environment of later build steps: its bin/lib entries, then its env files. */
export interface LayerEnv {
  dirs: EnvEntry[];
  files: EnvEntry[];
}

/** Applies layers' contributions in order, as the lifecycle does for the next buildpack. */
export function applyLayerEnvs(base: Record<string, string>, layers: readonly LayerEnv[]): Record<string, string> {
  const env = { ...base };
  for (const layer of layers) {
    applyEnvEntries(env, layer.dirs, 'build');
    applyEnvEntries(env, layer.files, 'build');
  }
  return env;
}
