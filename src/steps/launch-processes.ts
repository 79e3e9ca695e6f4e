import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { installLauncher } from '../../layers/launcher.js';
import type { Env } from '../cnb/env.js';
import { formatLaunchToml, type Process } from '../cnb/launch-toml.js';
import { launcherCommand, type LaunchData } from '../plan/launch-data.js';
import type { Log } from '../output/log.js';
import { BuildError } from '../output/build-error.js';
import { entryPoint, launch as msg } from '../output/messages.js';
import { runAppCommand } from './app-command.js';
import type { ProcessPlan } from '../plan/processes.js';
import type { ServerPlan } from '../plan/server.js';
import { SERVER_NAMES } from '../plan/servers.js';

function describe(type: string, data: LaunchData): string {
  const p = data.processes[type];
  if (!p || p.kind === 'program') return type;
  if (p.server) return p.server;
  return msg.web(data.build_server?.name ?? data.installed[0] ?? '');
}

/** No start command: the image is still useful (another buildpack, the platform or `docker run` starts it). */
export function warnNoStart(log: Log, nonExecutableAppSh: boolean): void {
  log.header(msg.header);
  log.warning(entryPoint.noStartTitle, entryPoint.noStart(nonExecutableAppSh));
}

/** Writes the launcher layer and launch.toml; `web` is the default process. */
export async function setLaunchProcesses(opts: {
  layersDir: string;
  buildpackDir: string;
  appDir: string;
  venvDir: string;
  cpythonDir: string;
  plan: ProcessPlan;
  server: ServerPlan;
  runEnv: Env;
  log: Log;
  timeoutMs: number;
}): Promise<void> {
  const { plan, log } = opts;
  log.header(msg.header);
  if (plan.wsgi && plan.installedServers.length === 0) throw new BuildError({ kind: 'no-server', servers: SERVER_NAMES });
  const { requested } = opts.server;
  if (requested && requested !== 'none' && plan.wsgi && !plan.buildServer) log.info(msg.serverNotInstalled(requested));
  // A program's arguments go into launch.toml as overridable args, so `docker run img -c ...`
  // (or `pywarp launch app -- -c ...`) replaces them as the CNB launcher promises; the
  // launcher appends what it is given to the program's executable.
  const executables = Object.fromEntries(Object.entries(plan.programs).map(([type, p]) => [type, { ...p, argv: p.argv.slice(0, 1) }]));
  const launcher = await installLauncher({
    layersDir: opts.layersDir,
    buildpackDir: opts.buildpackDir,
    appDir: opts.appDir,
    venvDir: opts.venvDir,
    python: path.join(opts.cpythonDir, 'bin', 'python3'),
    plan: { ...plan, programs: executables },
  });
  const types = Object.keys(launcher.data.processes);
  const processes: Process[] = types.map((type) => ({
    type,
    command: launcherCommand(launcher.path, opts.cpythonDir, type),
    args: plan.programs[type]?.argv.slice(1) ?? [],
    default: type === 'web',
  }));
  // A server web says how to switch it; a program web is marked as the default.
  for (const type of types) {
    const program = plan.programs[type]?.argv.join(' ');
    log.info(msg.process(type, program ?? describe(type, launcher.data), type === 'web' && program !== undefined));
  }
  await writeFile(path.join(opts.layersDir, 'launch.toml'), formatLaunchToml({ processes }));
  if (plan.installedServers.includes('mod_wsgi')) {
    const check = await runAppCommand(
      [...launcherCommand(launcher.path, opts.cpythonDir, '--check'), 'mod_wsgi'],
      { what: msg.modWsgiCheck, hint: '' },
      { cwd: opts.appDir, env: opts.runEnv, timeoutMs: opts.timeoutMs },
    );
    if (check.exitCode !== 0) log.warning(msg.apacheMissingTitle, msg.apacheMissing(check.output.trim()));
  }
}
