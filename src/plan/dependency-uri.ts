import type { Binding } from '../cnb/bindings.js';
import { bindingsOfType } from '../cnb/bindings.js';
import type { Env } from '../cnb/env.js';
import { BuildError } from '../output/build-error.js';
import { redactUrls } from './pip-binding.js';

export interface DownloadSource {
  uri: string;
  /** Why the URI differs from the buildpack's, for the log. */
  via?: string;
}

const MIRROR_PREFIX = 'BP_DEPENDENCY_MIRROR_';

/** `BP_DEPENDENCY_MIRROR_GITHUB_COM` → `github.com`; `__` stands for `-` (Paketo's convention). */
export function mirrorHost(variable: string): string {
  return variable.slice(MIRROR_PREFIX.length).replaceAll('__', '\0').replaceAll('_', '.').replaceAll('\0', '-').toLowerCase();
}

/** Replaces the scheme and host of `uri` with `mirror`; `{originalHost}` in the mirror stands for the old host. */
export function applyMirror(uri: string, mirror: string): string {
  const original = new URL(uri);
  const base = mirror.replaceAll('{originalHost}', original.host).replace(/\/+$/, '');
  return `${base}${original.pathname}${original.search}`;
}

function checkMirror(variable: string, mirror: string): void {
  // The value is quoted in the error: a mirror's credentials stay out of it.
  const invalid = () => new BuildError({ kind: 'mirror-invalid', variable, value: redactUrls(mirror) });
  let scheme: string;
  try {
    scheme = new URL(mirror.replaceAll('{originalHost}', 'host')).protocol;
  } catch {
    throw invalid();
  }
  if (!['https:', 'http:', 'file:'].includes(scheme)) throw invalid();
}

/**
 * Where to download a dependency from: a `dependency-mapping` binding entry named by its
 * sha256 wins; then `BP_DEPENDENCY_MIRROR_<HOST>` for the URI's host; then `BP_DEPENDENCY_MIRROR`.
 */
export function downloadSource(uri: string, sha256: string, env: Env, bindings: readonly Binding[]): DownloadSource {
  const mappings = bindingsOfType(bindings, 'dependency-mapping').filter((b) => sha256 in b.entries);
  if (mappings.length > 1) throw new BuildError({ kind: 'mapping-duplicate', sha256, bindings: mappings.map((b) => b.name) });
  const mapped = mappings[0]?.entries[sha256];
  if (mapped) return { uri: mapped, via: `the dependency-mapping binding "${mappings[0]?.name}"` };
  const host = new URL(uri).hostname.toLowerCase();
  const hostVar = Object.keys(env).find((k) => k.startsWith(MIRROR_PREFIX) && mirrorHost(k) === host);
  const [variable, mirror] = hostVar ? [hostVar, env[hostVar]] : ['BP_DEPENDENCY_MIRROR', env.BP_DEPENDENCY_MIRROR];
  if (!mirror) return { uri };
  checkMirror(variable, mirror);
  return { uri: applyMirror(uri, mirror), via: variable };
}
