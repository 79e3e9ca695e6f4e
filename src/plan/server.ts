import { normalizeName } from './requirements.js';
import { dependencies as msg } from '../output/messages.js';
import { isServerName, SERVER_NAMES, serverForDistribution, serverNamed, type ServerName } from './servers.js';
import type { EntryPoint } from './entry-point.js';

/** The server decision, made once: what the user asked for, what to add, and its part in the venv's key. */
export interface ServerPlan {
  /** BP_PYTHON_SERVER: a server, "none" (add nothing), or absent. */
  requested?: ServerName | 'none';
  /** Whether the app needs a server at all (a WSGI entry point). */
  needed: boolean;
  /** The requirement added when the app needs a server and installs none: the requested one, else the pinned default. */
  toAdd?: { requirement: string; why: string };
  /** What of this decision changes the venv's contents. */
  cacheKey: string;
}

/** BP_PYTHON_SERVER: a server name, "none", or unset. Unknown names are refused before any layer. */
export function planServer(setting: string | undefined, entry: EntryPoint, defaultRequirement: string): ServerPlan {
  if (setting !== undefined && setting !== 'none' && !isServerName(setting)) throw msg.unknownServer(setting, SERVER_NAMES);
  const requested = setting as ServerName | 'none' | undefined;
  const needed = entry.kind === 'wsgi';
  const toAdd = !needed || requested === 'none'
    ? undefined
    : requested
      ? { requirement: serverNamed(requested).distributions[0] ?? requested, why: 'BP_PYTHON_SERVER' }
      : { requirement: defaultRequirement, why: "the buildpack's default, pinned in buildpack.toml" };
  return {
    ...(requested ? { requested } : {}),
    needed,
    ...(toAdd ? { toAdd } : {}),
    cacheKey: needed ? `server=${requested ?? defaultRequirement}` : '',
  };
}

/** The server to add once the app's own requirements are installed: none when one of them is a server. */
export function serverToAdd(plan: ServerPlan, installed: readonly { name: string }[]): { requirement: string; why: string } | undefined {
  if (installed.some((d) => serverForDistribution(normalizeName(d.name)))) return undefined;
  return plan.toAdd;
}
