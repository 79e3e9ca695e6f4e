import { isTable, type TomlTable } from '../cnb/toml.js';

/** One downloadable artifact listed in buildpack.toml `[[metadata.dependencies]]`. */
export interface Dependency {
  id: string;
  name: string;
  version: string;
  arch: string;
  uri: string;
  sha256: string;
  stripComponents: number;
  source: string;
}

function readDependency(raw: unknown, index: number): Dependency {
  const t = isTable(raw) ? raw : {};
  const str = (key: string): string => {
    const value = t[key];
    if (typeof value !== 'string' || value === '') throw new Error(`buildpack.toml: metadata.dependencies[${index}] has no ${key}`);
    return value;
  };
  const strip = t['strip-components'] ?? 0;
  if (typeof strip !== 'number' || !Number.isInteger(strip) || strip < 0)
    throw new Error(`buildpack.toml: metadata.dependencies[${index}].strip-components must be a whole number`);
  const sha256 = str('sha256').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`buildpack.toml: metadata.dependencies[${index}].sha256 is not a sha256`);
  return {
    id: str('id'),
    name: str('name'),
    version: str('version'),
    arch: str('arch'),
    uri: str('uri'),
    sha256,
    stripComponents: strip,
    source: typeof t.source === 'string' ? t.source : '',
  };
}

export function readDependencies(metadata: TomlTable): Dependency[] {
  const raw = metadata.dependencies;
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new Error('buildpack.toml: metadata.dependencies must be an array of tables');
  return raw.map(readDependency);
}

/** Versions of a dependency available for an architecture. */
export function versionsFor(deps: readonly Dependency[], id: string, arch: string): string[] {
  return deps.filter((d) => d.id === id && d.arch === arch).map((d) => d.version);
}

export function findDependency(deps: readonly Dependency[], id: string, version: string, arch: string): Dependency | undefined {
  return deps.find((d) => d.id === id && d.version === version && d.arch === arch);
}
