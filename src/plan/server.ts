import type { Distribution } from '../effects/distributions.js';
import type { EntryPoint } from './entry-point.js';
import { BuildError } from '../output/build-error.js';
import { normalizeName } from './requirements.js';
import { SERVER_NAMES, serverForDistribution, SERVERS } from './servers.js';

/** BP_PYTHON_SERVER: a server name, "none", or unset. Unknown names are refused before any layer. */
export function checkServerSetting(value: string | undefined): void {
  if (value !== undefined && value !== 'none' && !(SERVER_NAMES as readonly string[]).includes(value)) {
    throw new BuildError({ kind: 'server-unknown', name: value, known: [...SERVER_NAMES, 'none'] });
  }
}

/**
 * A WSGI app with no server installed gets one: the one BP_PYTHON_SERVER names, else the
 * buildpack's pinned default. Apps that start themselves (Procfile, app.sh, app.py) get none.
 */
export function serverToAdd(entry: EntryPoint, installed: readonly Distribution[], setting: string | undefined, defaultRequirement: string): { requirement: string; why: string } | undefined {
  if (entry.kind !== 'wsgi' || setting === 'none') return undefined;
  if (installed.some((d) => serverForDistribution(normalizeName(d.name)))) return undefined;
  if (setting) {
    const row = SERVERS.find((s) => s.name === setting);
    return row ? { requirement: row.distributions[0], why: 'BP_PYTHON_SERVER' } : undefined;
  }
  return { requirement: defaultRequirement, why: "the buildpack's default, pinned in buildpack.toml" };
}
