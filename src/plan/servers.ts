// The one place that knows about WSGI servers: how to find them, start them, stop them and
// serve Django's static files with them. The launcher (layers/launcher) is generic: it gets
// these rows as data in launch.json and only fills in the run-time placeholders.
//
// Placeholders in `args`: BUILD_PLACEHOLDERS are filled by launch-data.ts, RUNTIME_PLACEHOLDERS
// by the launcher.

import { normalizeName } from './requirements.js';

export const BUILD_PLACEHOLDERS = ['venv', 'launcher_dir', 'target', 'module', 'callable', 'static_url', 'static_root'] as const;
export type BuildPlaceholder = (typeof BUILD_PLACEHOLDERS)[number];

export const RUNTIME_PLACEHOLDERS = [
  'address', // host:port, IPv6 hosts in brackets
  'host',
  'port',
  'processes',
  'threads', // per process
  'concurrency', // processes × threads, for single-process servers
  'graceful_timeout',
  'server_root', // a fresh writable temp dir
  'user', // an unprivileged account for servers started as root
  'group',
] as const;

/** Run-time defaults; `PYWARP_HOST`, `PORT` and each server's own options override them. */
export const LAUNCH_DEFAULTS = {
  host: '0.0.0.0',
  port: 8080,
  // Below `docker stop`'s 10 s (and Kubernetes' 30 s) so servers finish before SIGKILL.
  gracefulTimeout: 8,
} as const;

export type Condition = 'dev_shm' | 'root';

export interface Overrides {
  /** Option names (with aliases) that, in the user's args, replace our default. */
  readonly options?: readonly string[];
  /** Variables the server reads itself (UWSGI_PROCESSES…) that replace our default. */
  readonly env?: readonly string[];
  /** Setting names that, assigned in the server's config file, replace our default. */
  readonly settings?: readonly string[];
}

export interface ServerOption {
  readonly args: readonly string[];
  readonly unless?: Overrides;
  readonly when?: Condition;
}

export type StaticServing = 'whitenoise' | 'url-alias' | 'static-map';

export interface Server {
  readonly name: string;
  /** PEP 503-normalized names of the distributions that provide it. */
  readonly distributions: readonly string[];
  readonly script: string;
  readonly processType: string;
  /** warpdrive's choice order when nothing is requested: 1 first. */
  readonly preference: number;
  readonly command: readonly string[];
  readonly options: readonly ServerOption[];
  /** How the app is named; the launcher puts these after the user's own args. */
  readonly app: readonly ServerOption[];
  readonly static: { readonly serving: StaticServing; readonly args: readonly string[] };
  /** A variable holding extra args that the server reads itself; read only to spot overrides. */
  readonly argsEnv?: string;
  /** Variables the launcher turns into options ({value} = the variable's value), as warpdrive does. */
  readonly envOptions?: readonly (readonly [string, readonly string[]])[];
  /** The server's config file, whose settings replace our defaults. */
  readonly configFile?: { readonly default: string; readonly options: readonly string[] };
  readonly needsApache: boolean;
  /** The signal that stops it gracefully; the launcher translates SIGTERM to it. */
  readonly stopSignal: 'SIGTERM' | 'SIGWINCH';
  /** Whether its main process reaps any child, so that it can run as PID 1 without an init. */
  readonly reapsChildren: boolean;
  /** What SIGTERM does, for the docs. */
  readonly graceful: string;
}

export const SERVERS = [
  {
    name: 'mod_wsgi',
    distributions: ['mod-wsgi'],
    script: 'mod_wsgi-express',
    processType: 'mod_wsgi',
    preference: 1,
    command: ['{venv}/bin/mod_wsgi-express', 'start-server'],
    options: [
      { args: ['--host', '{host}'], unless: { options: ['--host'] } },
      { args: ['--port', '{port}'], unless: { options: ['--port'] } },
      { args: ['--server-root', '{server_root}'], unless: { options: ['--server-root'] } },
      // Otherwise it picks en_US.UTF-8 for a C locale, which slim images lack.
      { args: ['--locale', 'C.UTF-8'], unless: { options: ['--locale', '--lang'], env: ['LC_ALL', 'LANG'] } },
      { args: ['--log-to-terminal'] },
      { args: ['--startup-log'] },
      { args: ['--access-log'] },
      { args: ['--processes', '{processes}'], unless: { options: ['--processes'] } },
      { args: ['--threads', '{threads}'], unless: { options: ['--threads'] } },
      { args: ['--shutdown-timeout', '{graceful_timeout}'], unless: { options: ['--shutdown-timeout'] } },
      // As root, Apache refuses to run its workers without an account to switch to.
      { args: ['--user', '{user}'], unless: { options: ['--user'] }, when: 'root' },
      { args: ['--group', '{group}'], unless: { options: ['--group'] }, when: 'root' },
    ],
    app: [
      { args: ['--application-type', 'module'], unless: { options: ['--application-type'] } },
      { args: ['--entry-point', '{module}'], unless: { options: ['--entry-point'] } },
      { args: ['--callable-object', '{callable}'], unless: { options: ['--callable-object'] } },
    ],
    static: { serving: 'url-alias', args: ['--url-alias', '{static_url}', '{static_root}'] },
    // warpdrive's MOD_WSGI_* variables (etc/start-mod_wsgi); mod_wsgi-express reads none itself.
    envOptions: [
      ...([
        'PROCESSES', 'THREADS', 'MAX_CLIENTS', 'INITIAL_WORKERS', 'MINIMUM_SPARE_WORKERS', 'MAXIMUM_SPARE_WORKERS',
        'LIMIT_REQUEST_BODY', 'MAXIMUM_REQUESTS', 'INACTIVITY_TIMEOUT', 'REQUEST_TIMEOUT', 'CONNECT_TIMEOUT',
        'SOCKET_TIMEOUT', 'QUEUE_TIMEOUT', 'HEADER_TIMEOUT', 'HEADER_MAX_TIMEOUT', 'BODY_TIMEOUT', 'BODY_MAX_TIMEOUT',
        'HEADER_MIN_RATE', 'BODY_MIN_RATE', 'SERVER_BACKLOG', 'DAEMON_BACKLOG', 'SERVER_MPM', 'LOG_LEVEL',
        'WORKING_DIRECTORY', 'APPLICATION_TYPE', 'ENTRY_POINT', 'CALLABLE_OBJECT',
      ] as const).map((n) => [`MOD_WSGI_${n}`, [`--${n.toLowerCase().replaceAll('_', '-')}`, '{value}']] as const),
      ['MOD_WSGI_ACCESS_LOG', ['--access-log']],
      ['MOD_WSGI_RELOAD_ON_CHANGES', ['--reload-on-changes']],
      ['MOD_WSGI_ENABLE_DEBUGGER', ['--debug-mode', '--enable-debugger']],
      ['MOD_WSGI_SERVER_STATUS', ['--server-status']],
    ],
    needsApache: true,
    stopSignal: 'SIGWINCH',
    reapsChildren: true,
    graceful:
      "SIGTERM becomes Apache's graceful stop (SIGWINCH): in-flight requests finish, exit 0; " +
      "after the graceful timeout the launcher kills Apache's process group (exit 137).",
  },
  {
    name: 'gunicorn',
    distributions: ['gunicorn'],
    script: 'gunicorn',
    processType: 'gunicorn',
    preference: 2,
    command: ['{venv}/bin/gunicorn'],
    options: [
      { args: ['--bind', '{address}'], unless: { options: ['-b', '--bind'], settings: ['bind'] } },
      { args: ['--workers', '{processes}'], unless: { options: ['-w', '--workers'], settings: ['workers'] } },
      // More than one thread turns a sync worker into gthread, so an explicit worker class wins.
      {
        args: ['--threads', '{threads}'],
        unless: { options: ['--threads', '-k', '--worker-class'], settings: ['threads', 'worker_class'] },
      },
      // Heartbeat files on a disk-backed /tmp can block workers (gunicorn docs, "Blocking OS calls").
      {
        args: ['--worker-tmp-dir', '/dev/shm'],
        unless: { options: ['--worker-tmp-dir'], settings: ['worker_tmp_dir'] },
        when: 'dev_shm',
      },
      {
        args: ['--graceful-timeout', '{graceful_timeout}'],
        unless: { options: ['--graceful-timeout'], settings: ['graceful_timeout'] },
      },
      // A container is reached through the platform's proxy, whose address is not known here.
      {
        args: ['--forwarded-allow-ips', '*'],
        unless: { options: ['--forwarded-allow-ips'], env: ['FORWARDED_ALLOW_IPS'], settings: ['forwarded_allow_ips'] },
      },
      { args: ['--access-logfile', '-'], unless: { options: ['--access-logfile'], settings: ['accesslog'] } },
      {
        args: ['--error-logfile', '-'],
        unless: { options: ['--error-logfile', '--log-file'], settings: ['errorlog'] },
      },
    ],
    app: [{ args: ['{target}'], unless: { settings: ['wsgi_app'] } }],
    static: { serving: 'whitenoise', args: [] },
    argsEnv: 'GUNICORN_CMD_ARGS',
    configFile: { default: 'gunicorn.conf.py', options: ['-c', '--config'] },
    needsApache: false,
    stopSignal: 'SIGTERM',
    reapsChildren: true,
    graceful: 'Workers finish their in-flight requests within --graceful-timeout, then the arbiter exits 0.',
  },
  {
    name: 'uwsgi',
    distributions: ['uwsgi'],
    script: 'uwsgi',
    processType: 'uwsgi',
    preference: 3,
    command: ['{venv}/bin/uwsgi'],
    options: [
      { args: ['--master'] },
      {
        args: ['--http-socket', '{address}'],
        unless: {
          options: ['--http-socket', '--http', '-s', '--socket', '--uwsgi-socket', '--https'],
          env: ['UWSGI_HTTP_SOCKET', 'UWSGI_HTTP', 'UWSGI_SOCKET', 'UWSGI_UWSGI_SOCKET', 'UWSGI_HTTPS'],
        },
      },
      {
        args: ['--processes', '{processes}'],
        unless: { options: ['-p', '--processes', '--workers'], env: ['UWSGI_PROCESSES', 'UWSGI_WORKERS'] },
      },
      { args: ['--threads', '{threads}'], unless: { options: ['--threads'], env: ['UWSGI_THREADS'] } },
      { args: ['--enable-threads'] },
      { args: ['--single-interpreter'] },
      { args: ['--thunder-lock'] },
      { args: ['--need-app'] },
      // uWSGI 2.0: SIGTERM reloads, --die-on-term makes it a brutal stop; this hook makes it graceful.
      { args: ['--die-on-term'] },
      { args: ['--hook-master-start', 'unix_signal:15 gracefully_kill_them_all'] },
      {
        args: ['--worker-reload-mercy', '{graceful_timeout}'],
        unless: { options: ['--worker-reload-mercy', '--reload-mercy'], env: ['UWSGI_WORKER_RELOAD_MERCY'] },
      },
    ],
    app: [
      {
        args: ['--module', '{module}:{callable}'],
        unless: {
          options: ['--module', '-w', '--wsgi', '--wsgi-file', '--file', '--mount'],
          env: ['UWSGI_MODULE', 'UWSGI_WSGI', 'UWSGI_WSGI_FILE', 'UWSGI_FILE', 'UWSGI_MOUNT'],
        },
      },
    ],
    static: { serving: 'static-map', args: ['--static-map', '{static_url}={static_root}'] },
    needsApache: false,
    stopSignal: 'SIGTERM',
    reapsChildren: true,
    graceful: 'Workers finish their in-flight requests within --worker-reload-mercy, then the master exits 0.',
  },
  {
    name: 'waitress',
    distributions: ['waitress'],
    script: 'waitress-serve',
    processType: 'waitress',
    preference: 4,
    // waitress-serve dies on SIGTERM at once; this wrapper runs it and stops it gracefully.
    command: ['{venv}/bin/python', '{launcher_dir}/pywarp_waitress.py'],
    options: [
      { args: ['--listen', '{address}'], unless: { options: ['--listen', '--host', '--port', '--unix-socket'] } },
      { args: ['--threads', '{concurrency}'], unless: { options: ['--threads'] } },
      { args: ['--graceful-timeout', '{graceful_timeout}'], unless: { options: ['--graceful-timeout'] } },
      { args: ['--access-log'], unless: { options: ['--no-access-log'] } },
    ],
    app: [{ args: ['{target}'] }],
    static: { serving: 'whitenoise', args: [] },
    needsApache: false,
    stopSignal: 'SIGTERM',
    reapsChildren: false,
    graceful:
      'The wrapper stops accepting, lets in-flight requests finish within --graceful-timeout, closes idle ' +
      'connections and exits 0.',
  },
] as const satisfies readonly Server[];

export type ServerName = (typeof SERVERS)[number]['name'];

export const SERVER_NAMES: readonly ServerName[] = SERVERS.map((s) => s.name);

const BY_PREFERENCE: readonly ServerName[] = [...SERVERS].sort((a, b) => a.preference - b.preference).map((s) => s.name);

export function serverNamed(name: ServerName): Server {
  const server = SERVERS.find((s) => s.name === name);
  if (!server) throw new Error(`no server named ${name}`);
  return server;
}

export function isServerName(name: string): name is ServerName {
  return (SERVER_NAMES as readonly string[]).includes(name);
}

export function serverForDistribution(distribution: string): Server | undefined {
  const normalized = normalizeName(distribution);
  return SERVERS.find((s) => (s.distributions as readonly string[]).includes(normalized));
}

/** Installed servers in warpdrive's preference order. */
export function sortByPreference(installed: readonly ServerName[]): ServerName[] {
  return BY_PREFERENCE.filter((n) => installed.includes(n));
}
