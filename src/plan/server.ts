import { BuildError } from '../output/build-error.js';
import type { EntryPoint } from './entry-point.js';
import {
  forInterface,
  SERVER_NAMES,
  SERVER_TYPES,
  serverNamed,
  serverOfType,
  serversInstalled,
  sortByPreference,
  type Interface,
} from './servers.js';

/** The server decision, made once: what the user asked for, what to add, and its part in the venv's key. */
export interface ServerPlan {
  /** BP_PYTHON_SERVER: a server (by its process type), "none" (add nothing), or absent. */
  requested?: string;
  /** The interface of the app pywarp serves, when it serves one (not a Procfile, a script…). */
  interface?: Interface;
  /** The requirements added when the app installs no server of its interface: the requested one, else the pinned default. */
  toAdd?: { requirements: string[]; why: string };
  /** What of this decision changes the venv's contents. */
  cacheKey: string;
}

/** The requirement pinned in buildpack.toml per interface (default-server, default-asgi-server). */
export type DefaultServers = Record<Interface, string>;

/**
 * BP_PYTHON_SERVER: a server's process type, "none", or unset. An unknown name, or a server
 * that cannot run the app's interface, is refused before any layer.
 */
export function planServer(setting: string | undefined, entry: EntryPoint, defaults: DefaultServers): ServerPlan {
  if (setting !== undefined && setting !== 'none' && !SERVER_TYPES.includes(setting)) {
    throw new BuildError({ kind: 'server-unknown', name: setting, known: SERVER_TYPES });
  }
  const iface = entry.kind === 'wsgi' ? (entry.target.interface ?? 'wsgi') : undefined;
  if (iface === undefined) return { ...(setting ? { requested: setting } : {}), cacheKey: '' };
  const row = setting && setting !== 'none' ? serverOfType(setting, iface) : undefined;
  if (setting && setting !== 'none' && !row) {
    const able = [...new Set(forInterface(sortByPreference(SERVER_NAMES), iface).map((n) => serverNamed(n).processType))];
    throw new BuildError({ kind: 'server-wrong-interface', name: setting, interface: iface, able });
  }
  const toAdd =
    setting === 'none'
      ? undefined
      : row
        ? { requirements: [...row.distributions], why: 'BP_PYTHON_SERVER' }
        : { requirements: [defaults[iface]], why: "the buildpack's default, pinned in buildpack.toml" };
  return {
    ...(setting ? { requested: setting } : {}),
    interface: iface,
    ...(toAdd ? { toAdd } : {}),
    cacheKey: `server=${setting ?? defaults[iface]}`,
  };
}

/** The server to add once the app's own requirements are installed: none when one of them serves the app's interface. */
export function serverToAdd(plan: ServerPlan, installed: readonly { name: string }[]): ServerPlan['toAdd'] {
  if (!plan.interface) return undefined;
  if (forInterface(serversInstalled(installed.map((d) => d.name)), plan.interface).length) return undefined;
  return plan.toAdd;
}
