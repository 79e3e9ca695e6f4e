import type { Distribution } from '../effects/distributions.js';
import type { EntryPoint } from './entry-point.js';
import type { Program, WsgiApp } from './launch-data.js';
import type { ServerPlan } from './server.js';
import { serverForDistribution, sortByPreference, type ServerName } from './servers.js';

/** The Django static files to serve, when collectstatic ran; `byApp` when the app serves them itself (WhiteNoise middleware). */
export interface StaticPlan { url: string; root: string; byApp: boolean }

/** What the launcher layer is made from: the processes, as decided from the build's facts. */
export interface ProcessPlan {
  /** The app's sub-directory, where every process starts. */
  home?: string;
  wsgi?: WsgiApp;
  installedServers: ServerName[];
  buildServer?: { name: ServerName; origin: string };
  programs: Record<string, Program>;
}

export function installedServers(dists: readonly Distribution[]): ServerName[] {
  const names = dists.map((d) => serverForDistribution(d.name)?.name).filter((n): n is ServerName => n !== undefined);
  return sortByPreference([...new Set(names)]);
}

/**
 * Procfile types run their command through `sh -c` (Procfile lines are shell, as on
 * Heroku); app.sh and app.py are the `web` process, kept under a minimal init when they
 * are PID 1. A WSGI app gets `web` plus one type per installed server; Django adds `migrate`.
 */
export function planProcesses(entry: EntryPoint, dists: readonly Distribution[], server: ServerPlan, statics: StaticPlan | undefined): ProcessPlan {
  const plan = processesOf(entry, dists, server, statics);
  return entry.home ? { home: entry.home, ...plan } : plan;
}

/** A file of the app as seen from its home, where the processes start. */
function fromHome(entry: EntryPoint, file: string): string {
  return entry.home && file.startsWith(`${entry.home}/`) ? file.slice(entry.home.length + 1) : file;
}

function processesOf(entry: EntryPoint, dists: readonly Distribution[], server: ServerPlan, statics: StaticPlan | undefined): ProcessPlan {
  switch (entry.kind) {
    case 'procfile':
      return { installedServers: [], programs: Object.fromEntries([...entry.types].map(([type, cmd]) => [type, { argv: ['sh', '-c', `exec ${cmd}`], init: true }])) };
    case 'shell':
      return { installedServers: [], programs: { web: { argv: [`./${fromHome(entry, entry.file)}`], init: true } } };
    case 'script':
      return { installedServers: [], programs: { web: { argv: [entry.name], init: true } } };
    case 'none':
      return { installedServers: [], programs: {} };
    case 'python':
      return { installedServers: [], programs: { web: { argv: ['python', fromHome(entry, entry.file)], init: true } } };
    case 'wsgi': {
      const servers = installedServers(dists);
      const requested = servers.find((s) => s === server.requested);
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
