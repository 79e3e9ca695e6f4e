import { posix } from 'node:path';
import type { Distribution } from '../effects/distributions.js';
import type { EntryPoint } from './entry-point.js';
import type { HooksPlan } from './hooks.js';
import type { Program, WsgiApp } from './launch-data.js';
import type { ServerPlan } from './server.js';
import { serverNamed, serversInstalled, type ServerName } from './servers.js';

/** The Django static files to serve, when collectstatic ran; `byApp` when the app serves them itself (WhiteNoise middleware). */
export interface StaticPlan {
  url: string;
  root: string;
  byApp: boolean;
}

/** What the launcher layer is made from: the processes, as decided from the build's facts. */
/** What the launcher does at every start, before the process: warpdrive's deploy hooks and environment. */
export interface StartActions {
  deploy?: string | undefined;
  deployEnv?: string | undefined;
  environment: Record<string, string>;
}

export interface ProcessPlan {
  atStart?: StartActions;
  /** The app's sub-directory, where every process starts. */
  home?: string;
  wsgi?: WsgiApp;
  installedServers: ServerName[];
  buildServer?: { name: ServerName; origin: string };
  programs: Record<string, Program>;
}

export function installedServers(dists: readonly Distribution[]): ServerName[] {
  return serversInstalled(dists.map((d) => d.name));
}

/**
 * Procfile types run their command through `sh -c` (Procfile lines are shell, as on
 * Heroku); app.sh and app.py are the `web` process, kept under a minimal init when they
 * are PID 1. A WSGI app gets `web` plus one type per installed server; Django adds `migrate`.
 */
export function planProcesses(
  entry: EntryPoint,
  dists: readonly Distribution[],
  server: ServerPlan,
  statics: StaticPlan | undefined,
  hooks?: HooksPlan,
): ProcessPlan {
  const plan = processesOf(entry, dists, server, statics);
  // warpdrive's process hooks (migrate, setup, alive, ready) win over pywarp's own of the same name.
  const hookPrograms = Object.fromEntries(
    Object.entries(hooks?.processes ?? {}).map(([type, file]) => [type, { argv: [executable(entry, file)], init: true }]),
  );
  const atStart = hooks ? { deploy: hooks.hooks.deploy, deployEnv: hooks.hooks['deploy-env'], environment: hooks.environment } : undefined;
  const withHooks = atStart ? { ...plan, programs: { ...plan.programs, ...hookPrograms }, atStart } : plan;
  return entry.home ? { home: entry.home, ...withHooks } : withHooks;
}

/** An app file run as a program, from the home the processes start in. */
function executable(entry: EntryPoint, file: string): string {
  const rel = fromHome(entry, file);
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** A file of the app (relative to its top) as seen from its home, where the processes start. */
function fromHome(entry: EntryPoint, file: string): string {
  return entry.home ? posix.relative(entry.home, file) : file;
}

function processesOf(entry: EntryPoint, dists: readonly Distribution[], server: ServerPlan, statics: StaticPlan | undefined): ProcessPlan {
  switch (entry.kind) {
    case 'procfile':
      return {
        installedServers: [],
        programs: Object.fromEntries([...entry.types].map(([type, cmd]) => [type, { argv: ['sh', '-c', `exec ${cmd}`], init: true }])),
      };
    case 'shell':
      return { installedServers: [], programs: { web: { argv: [executable(entry, entry.file)], init: true } } };
    case 'script':
      return { installedServers: [], programs: { web: { argv: [entry.name], init: true } } };
    case 'none':
      return { installedServers: [], programs: {} };
    case 'python':
      return { installedServers: [], programs: { web: { argv: ['python', fromHome(entry, entry.file)], init: true } } };
    case 'wsgi': {
      const servers = installedServers(dists);
      const iface = entry.target.interface ?? 'wsgi';
      // BP_PYTHON_SERVER names a process type; the build choice is its row for the app's interface.
      const requested = servers.find((s) => serverNamed(s).processType === server.requested && serverNamed(s).interface === iface);
      const whitenoise = dists.some((d) => d.name.toLowerCase() === 'whitenoise') && !statics?.byApp;
      return {
        wsgi: { ...entry.target, whitenoise, ...(statics ? { static: { url: statics.url, root: statics.root } } : {}) },
        installedServers: servers,
        ...(requested ? { buildServer: { name: requested, origin: 'BP_PYTHON_SERVER' } } : {}),
        programs: entry.django ? { migrate: { argv: ['python', 'manage.py', 'migrate', '--noinput'], init: true } } : {},
      };
    }
  }
}
