import { isTable, parseToml, type TomlTable } from '../../cnb/toml.js';
import { BuildError } from '../../output/build-error.js';
import type { LockInput } from './types.js';

/** The TOML file `name` from the app, or undefined when the app has none; unreadable is a titled error. */
export function readToml(input: Pick<LockInput, 'contents'>, name: string): TomlTable | undefined {
  const text = input.contents.get(name);
  if (text === undefined) return undefined;
  try {
    return parseToml(text, name);
  } catch (err) {
    throw new BuildError({ kind: 'lock-unreadable', file: name, detail: (err as Error).message });
  }
}

export function table(value: unknown): TomlTable {
  return isTable(value) ? value : {};
}

export function tables(value: unknown): TomlTable[] {
  return Array.isArray(value) ? value.filter(isTable) : [];
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** A path inside the app (no absolute path, no ..), normalized without "./"; undefined otherwise. */
export function appRelative(p: string): string | undefined {
  const parts = p
    .replace(/\\/g, '/')
    .split('/')
    .filter((s) => s !== '' && s !== '.');
  if (p.startsWith('/') || parts.includes('..')) return undefined;
  return parts.length ? parts.join('/') : '.';
}

/** The file name at the end of a lock entry's name, URL or path. */
export function fileNameOf(file: TomlTable): string {
  const where = str(file.filename) ?? str(file.name) ?? str(file.url) ?? str(file.path) ?? '';
  const last = where.split(/[/?#]/).filter(Boolean).pop() ?? where;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}
