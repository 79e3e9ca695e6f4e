// Turns the build's decisions into launch.json, the data the launcher (layers/launcher/pywarp_launch.py)
// reads at run time. Pure: the caller writes the file.
//
// launch.json, version 1 (snake_case, read by Python):
//   version        1; the launcher refuses other versions
//   app_dir        where `.warpdrive/server_args` and the server's config file are looked up
//   app_home       the app's sub-directory, where every process starts (on PYTHONPATH), or null
//   at_start       {environment, deploy_env, deploy}: warpdrive's .warpdrive/environment (defaults for
//                  unset variables), and its deploy-env (sourced) and deploy (run) hooks, or null
//   venv_dir       the venv the servers are installed in
//   defaults       {host, port, graceful_timeout, stop_timeout}: used when PYWARP_HOST / PORT /
//                  PYWARP_STOP_TIMEOUT are unset
//   installed      the process types of the installed servers that can run this app (WSGI or
//                  ASGI), in preference order (the run-time fallback); a server is named by its
//                  process type everywhere in this file
//   interface      "wsgi" or "asgi", or null without an app for servers
//   other_servers  {process type: interface} of installed servers that cannot run this app, so that
//                  naming one gets an error that says why
//   build_server   {name, origin} chosen at build time (e.g. origin "BP_PYTHON_SERVER"), or null
//   servers        per installed server, the table row resolved for this app:
//     command        argv start
//     options        our defaults: [{args, unless?: {options?, env?, settings?}, when?: "dev_shm"|"root"|"several_processes"}]
//     app            how the app is named, same shape, placed after the user's args
//     env            variables the server process gets (e.g. for the WhiteNoise wrapper)
//     pythonpath     directories prepended to PYTHONPATH
//     args_env       a variable of extra args the server reads itself (GUNICORN_CMD_ARGS), or null
//     env_options    [[VARIABLE, args with {value}]] the launcher turns into options
//     config_file    {default, options} of the server's config file, or null
//     needs_apache, ipv6_hosts, stop_signal, stop_fifo (or null)
//     event_loops    its workers are event loops: sized one per CPU (absent in older files: false)
//   processes      per process type: {kind: "server", server: name | null (null: chosen at run time)}
//                  or {kind: "program", argv, init}
// `args` keep the run-time placeholders listed in RUNTIME_PLACEHOLDERS.
import { posix } from 'node:path';
import type { StartActions } from './processes.js';
import {
  forInterface,
  LAUNCH_DEFAULTS,
  serverNamed,
  sortByPreference,
  type BuildPlaceholder,
  type Condition,
  type Interface,
  type Overrides,
  type Server,
  type ServerName,
  type ServerOption,
} from './servers.js';

export const LAUNCH_DATA_VERSION = 1;
export const LAUNCH_DATA_FILE = 'launch.json';
/** Its marshal copy, which the launcher reads without importing json (pywarp_main.COMPILED). */
export const LAUNCH_DATA_COPY = 'launch.json.marshal';
export const LAUNCHER_SCRIPT = 'pywarp_launch.py';
const WRAPPER = { module: 'pywarp_wsgi', callable: 'application' };

export interface StaticFiles {
  url: string;
  root: string;
}
export interface WsgiApp {
  /** An ASGI app runs only on ASGI servers; absent means WSGI. */
  interface?: Interface;
  module: string;
  callable: string;
  /** `callable` is an app factory, called once for the app (through pywarp_wsgi). */
  factory?: boolean;
  static?: StaticFiles;
  /** Wrap the app with WhiteNoise for servers that cannot serve files themselves. */
  whitenoise: boolean;
}
export interface Program {
  argv: string[];
  init: boolean;
}

export interface LaunchDataInput {
  appDir: string;
  /** The app's sub-directory (APP_HOME, backend/…), where every process starts. */
  home?: string;
  /** warpdrive's deploy hooks (app-relative) and environment, applied at every start. */
  atStart?: StartActions;
  launcherDir: string;
  venvDir: string;
  wsgi?: WsgiApp;
  installedServers: readonly ServerName[];
  buildServer?: { name: ServerName; origin: string };
  /** Processes that run a command (python app.py, ./app.sh, Procfile lines); they win over server types. */
  programs: Readonly<Record<string, Program>>;
}

export interface LaunchOption {
  args: string[];
  unless?: Overrides;
  when?: Condition;
}
export interface LaunchServer {
  command: string[];
  options: LaunchOption[];
  app: LaunchOption[];
  env: Record<string, string>;
  pythonpath: string[];
  args_env: string | null;
  env_options: [string, string[]][];
  config_file: { default: string | null; options: string[] } | null;
  needs_apache: boolean;
  ipv6_hosts: NonNullable<Server['ipv6Hosts']>;
  stop_signal: Server['stopSignal'];
  stop_fifo: string | null;
  event_loops: boolean;
  start_gate: boolean;
}
export type LaunchProcess = { kind: 'server'; server: string | null } | { kind: 'program'; argv: string[]; init: boolean };
export interface LaunchData {
  version: typeof LAUNCH_DATA_VERSION;
  app_dir: string;
  app_home: string | null;
  at_start: { environment: Record<string, string>; deploy_env: string | null; deploy: string | null };
  venv_dir: string;
  defaults: { host: string; port: number; graceful_timeout: number; stop_timeout: number };
  interface: Interface | null;
  installed: string[];
  other_servers: Record<string, Interface>;
  build_server: { name: string; origin: string } | null;
  servers: Record<string, LaunchServer>;
  processes: Record<string, LaunchProcess>;
}

export function launchData(input: LaunchDataInput): LaunchData {
  const { wsgi } = input;
  const iface = wsgi ? (wsgi.interface ?? 'wsgi') : null;
  const candidates = iface ? forInterface(sortByPreference(input.installedServers), iface).map(serverNamed) : [];
  const rows = candidates.filter((s) => !candidates.some((o) => o.supersedes === s.name));
  const installed = rows.map((s) => s.processType);
  const others = iface
    ? sortByPreference(input.installedServers)
        .map(serverNamed)
        .filter((s) => !installed.includes(s.processType))
    : [];
  const servers: Record<string, LaunchServer> = {};
  if (wsgi) for (const row of rows) servers[row.processType] = resolveServer(row, input, wsgi);
  // BP_PYTHON_SERVER=gunicorn names the gunicorn of the app's interface
  const buildType = input.buildServer && serverNamed(input.buildServer.name).processType;
  return {
    version: LAUNCH_DATA_VERSION,
    app_dir: input.appDir,
    app_home: input.home ? posix.join(input.appDir, input.home) : null,
    at_start: {
      environment: { ...input.atStart?.environment },
      deploy_env: input.atStart?.deployEnv ? posix.join(input.appDir, input.atStart.deployEnv) : null,
      deploy: input.atStart?.deploy ? posix.join(input.appDir, input.atStart.deploy) : null,
    },
    venv_dir: input.venvDir,
    defaults: {
      host: LAUNCH_DEFAULTS.host,
      port: LAUNCH_DEFAULTS.port,
      graceful_timeout: LAUNCH_DEFAULTS.gracefulTimeout,
      stop_timeout: LAUNCH_DEFAULTS.stopTimeout,
    },
    interface: iface,
    installed,
    other_servers: Object.fromEntries(others.map((s) => [s.processType, s.interface])),
    build_server:
      input.buildServer && buildType && installed.includes(buildType) ? { name: buildType, origin: input.buildServer.origin } : null,
    servers,
    processes: processes(installed, input.programs),
  };
}

/**
 * The launch.toml `command` for a process type: the runtime's Python, isolated from the app's env,
 * without `site` (the launcher is stdlib-only; site's import and path scan cost every start ~2 ms).
 */
export function launcherCommand(launcherDir: string, cpythonDir: string, processType: string): string[] {
  return [posix.join(cpythonDir, 'bin', 'python3'), '-I', '-S', posix.join(launcherDir, LAUNCHER_SCRIPT), processType];
}

function processes(installed: readonly string[], programs: LaunchDataInput['programs']): Record<string, LaunchProcess> {
  const result: Record<string, LaunchProcess> = {};
  if (installed.length) result.web = { kind: 'server', server: null };
  for (const type of installed) result[type] = { kind: 'server', server: type };
  for (const [type, p] of Object.entries(programs)) result[type] = { kind: 'program', argv: [...p.argv], init: p.init };
  return result;
}

function resolveServer(server: Server, input: LaunchDataInput, wsgi: WsgiApp): LaunchServer {
  const statics = staticFiles(wsgi.static);
  const whitenoise = server.static.serving === 'whitenoise' && wsgi.whitenoise && statics !== undefined;
  // Not every server can call a factory: each serves the wrapper, which calls it once; the wrapper
  // also holds the start gate.
  const wrap = whitenoise || wsgi.factory === true || server.startGate === true;
  const target = `${wsgi.module}:${wsgi.callable}${wsgi.factory ? '()' : ''}`;
  const served = wrap ? WRAPPER : wsgi;
  const values: Record<BuildPlaceholder, string> = {
    venv: input.venvDir,
    launcher_dir: input.launcherDir,
    target: `${served.module}:${served.callable}`,
    module: served.module,
    callable: served.callable,
    static_url: statics?.url ?? '',
    static_root: statics?.root ?? '',
  };
  const staticOptions = statics && server.static.args.length ? [{ args: server.static.args }] : [];
  return {
    command: fill(server.command, values),
    options: [...server.options, ...staticOptions].map((o) => resolveOption(o, values)),
    app: server.app.map((o) => resolveOption(o, values)),
    env: {
      ...(wrap ? { PYWARP_WSGI_APP: target } : {}),
      ...(whitenoise ? { PYWARP_STATIC_URL: statics.url, PYWARP_STATIC_ROOT: statics.root } : {}),
    },
    pythonpath: wrap ? [input.launcherDir] : [],
    args_env: server.argsEnv ?? null,
    env_options: (server.envOptions ?? []).map(([name, args]) => [name, [...args]]),
    config_file: server.configFile ? { default: server.configFile.default, options: [...server.configFile.options] } : null,
    needs_apache: server.needsApache,
    ipv6_hosts: server.ipv6Hosts ?? 'any',
    stop_signal: server.stopSignal,
    stop_fifo: server.stopFifo ?? null,
    event_loops: server.eventLoops ?? false,
    start_gate: server.startGate ?? false,
  };
}

/**
 * Static files served from a path of this site, normalized to `/url` and `/root` without a
 * trailing slash so that uWSGI's and Apache's prefix mapping joins them right.
 * An absolute STATIC_URL (a CDN) is not ours to serve.
 */
export function staticFiles(s: StaticFiles | undefined): StaticFiles | undefined {
  if (!s || /^([a-z][a-z0-9+.-]*:)?\/\//i.test(s.url)) return undefined;
  const trim = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);
  return { url: trim(`/${s.url.replace(/^\/+/, '')}`), root: trim(s.root) };
}

function resolveOption(option: ServerOption, values: Record<string, string>): LaunchOption {
  return {
    args: fill(option.args, values),
    ...(option.unless ? { unless: option.unless } : {}),
    ...(option.when ? { when: option.when } : {}),
  };
}

/** Fills the build-time placeholders; run-time ones stay for the launcher. */
function fill(args: readonly string[], values: Record<string, string>): string[] {
  return args.map((a) => a.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole));
}
