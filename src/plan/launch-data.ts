// Turns the build's decisions into launch.json, the data the launcher (layers/launcher/pywarp_launch.py)
// reads at run time. Pure: the caller writes the file.
//
// launch.json, version 1 (snake_case, read by Python):
//   version        1; the launcher refuses other versions
//   app_dir        where `.warpdrive/server_args` and the server's config file are looked up
//   app_home       the app's sub-directory, where every process starts (on PYTHONPATH), or null
//   venv_dir       the venv the servers are installed in
//   defaults       {host, port, graceful_timeout}: used when PYWARP_HOST / PORT are unset
//   installed      installed servers, in warpdrive's preference order (the run-time fallback)
//   build_server   {name, origin} chosen at build time (e.g. origin "BP_PYTHON_SERVER"), or null
//   servers        per installed server, the table row resolved for this app:
//     command        argv start
//     options        our defaults: [{args, unless?: {options?, env?, settings?}, when?: "dev_shm"|"root"}]
//     app            how the app is named, same shape, placed after the user's args
//     env            variables the server process gets (e.g. for the WhiteNoise wrapper)
//     pythonpath     directories prepended to PYTHONPATH
//     args_env       a variable of extra args the server reads itself (GUNICORN_CMD_ARGS), or null
//     env_options    [[VARIABLE, args with {value}]] the launcher turns into options
//     config_file    {default, options} of the server's config file, or null
//     needs_apache, stop_signal, reaps_children
//   processes      per process type: {kind: "server", server: name | null (null: chosen at run time)}
//                  or {kind: "program", argv, init}
// `args` keep the run-time placeholders listed in RUNTIME_PLACEHOLDERS.
import { posix } from 'node:path';
import {
  LAUNCH_DEFAULTS,
  serverNamed,
  sortByPreference,
  type BuildPlaceholder,
  type Condition,
  type Overrides,
  type Server,
  type ServerName,
  type ServerOption,
} from './servers.js';

export const LAUNCH_DATA_VERSION = 1;
export const LAUNCH_DATA_FILE = 'launch.json';
export const LAUNCHER_SCRIPT = 'pywarp_launch.py';
const WRAPPER = { module: 'pywarp_wsgi', callable: 'application' };

export interface StaticFiles { url: string; root: string }
export interface WsgiApp {
  module: string;
  callable: string;
  /** `callable` is an app factory, called once for the app (through pywarp_wsgi). */
  factory?: boolean;
  static?: StaticFiles;
  /** Wrap the app with WhiteNoise for servers that cannot serve files themselves. */
  whitenoise: boolean;
}
export interface Program { argv: string[]; init: boolean }

export interface LaunchDataInput {
  appDir: string;
  /** The app's sub-directory (APP_HOME, backend/…), where every process starts. */
  home?: string;
  launcherDir: string;
  venvDir: string;
  wsgi?: WsgiApp;
  installedServers: readonly ServerName[];
  buildServer?: { name: ServerName; origin: string };
  /** Processes that run a command (python app.py, ./app.sh, Procfile lines); they win over server types. */
  programs: Readonly<Record<string, Program>>;
}

export interface LaunchOption { args: string[]; unless?: Overrides; when?: Condition }
export interface LaunchServer {
  command: string[];
  options: LaunchOption[];
  app: LaunchOption[];
  env: Record<string, string>;
  pythonpath: string[];
  args_env: string | null;
  env_options: [string, string[]][];
  config_file: { default: string; options: string[] } | null;
  needs_apache: boolean;
  stop_signal: Server['stopSignal'];
  reaps_children: boolean;
}
export type LaunchProcess =
  | { kind: 'server'; server: ServerName | null }
  | { kind: 'program'; argv: string[]; init: boolean };
export interface LaunchData {
  version: typeof LAUNCH_DATA_VERSION;
  app_dir: string;
  app_home: string | null;
  venv_dir: string;
  defaults: { host: string; port: number; graceful_timeout: number };
  installed: ServerName[];
  build_server: { name: ServerName; origin: string } | null;
  servers: Partial<Record<ServerName, LaunchServer>>;
  processes: Record<string, LaunchProcess>;
}

export function launchData(input: LaunchDataInput): LaunchData {
  const { wsgi } = input;
  const installed = wsgi ? sortByPreference(input.installedServers) : [];
  const servers: Partial<Record<ServerName, LaunchServer>> = {};
  if (wsgi) for (const name of installed) servers[name] = resolveServer(serverNamed(name), input, wsgi);
  return {
    version: LAUNCH_DATA_VERSION,
    app_dir: input.appDir,
    app_home: input.home ? posix.join(input.appDir, input.home) : null,
    venv_dir: input.venvDir,
    defaults: { host: LAUNCH_DEFAULTS.host, port: LAUNCH_DEFAULTS.port, graceful_timeout: LAUNCH_DEFAULTS.gracefulTimeout },
    installed,
    build_server: input.buildServer && installed.includes(input.buildServer.name) ? { ...input.buildServer } : null,
    servers,
    processes: processes(installed, input.programs),
  };
}

/** The launch.toml `command` for a process type: the runtime's Python, isolated from the app's env. */
export function launcherCommand(launcherDir: string, cpythonDir: string, processType: string): string[] {
  return [posix.join(cpythonDir, 'bin', 'python3'), '-I', posix.join(launcherDir, LAUNCHER_SCRIPT), processType];
}

function processes(installed: readonly ServerName[], programs: LaunchDataInput['programs']): Record<string, LaunchProcess> {
  const result: Record<string, LaunchProcess> = {};
  if (installed.length) result.web = { kind: 'server', server: null };
  for (const name of installed) result[serverNamed(name).processType] = { kind: 'server', server: name };
  for (const [type, p] of Object.entries(programs)) result[type] = { kind: 'program', argv: [...p.argv], init: p.init };
  return result;
}

function resolveServer(server: Server, input: LaunchDataInput, wsgi: WsgiApp): LaunchServer {
  const statics = staticFiles(wsgi.static);
  const whitenoise = server.static.serving === 'whitenoise' && wsgi.whitenoise && statics !== undefined;
  // Not every server can call a factory: each serves the wrapper, which calls it once.
  const wrap = whitenoise || wsgi.factory === true;
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
    stop_signal: server.stopSignal,
    reaps_children: server.reapsChildren,
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
