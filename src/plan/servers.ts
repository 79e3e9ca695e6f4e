// The one place that knows about WSGI and ASGI servers: how to find them, start them, stop them
// and serve Django's static files with them. The launcher (layers/launcher) is generic: it gets
// these rows as data in launch.json and only fills in the run-time placeholders.
//
// A row serves one interface. Its process type is what users name (PYWARP_SERVER_TYPE, the
// process types in the image); two rows may share one when they serve different interfaces:
// `gunicorn` runs a WSGI app with its own workers and an ASGI app with uvicorn's worker class.
//
// Placeholders in `args`: BUILD_PLACEHOLDERS are filled by launch-data.ts, RUNTIME_PLACEHOLDERS
// by the launcher.

import { normalizeName } from './requirements.js';

export const BUILD_PLACEHOLDERS = ['venv', 'launcher_dir', 'target', 'module', 'callable', 'static_url', 'static_root'] as const;
export type BuildPlaceholder = (typeof BUILD_PLACEHOLDERS)[number];

export const RUNTIME_PLACEHOLDERS = [
  'address', // host:port, IPv6 hosts in brackets
  'host', // PYWARP_HOST checked: an IP address (IPv6 without brackets) or a hostname
  'port',
  'processes',
  'threads', // per process
  'concurrency', // processes × threads, for single-process servers
  'later_processes', // one uWSGI master FIFO '+' per process after the first: '+++' for 4
  'graceful_timeout',
  'server_root', // a fresh writable temp dir
  'user', // an unprivileged account for servers started as root
  'group',
  'locale', // LC_ALL, LC_CTYPE or LANG when installed in the run image, else C.UTF-8
] as const;

/** Run-time defaults; `PYWARP_HOST`, `PORT` and each server's own options override them. */
export const LAUNCH_DEFAULTS = {
  host: '0.0.0.0',
  port: 8080,
  // Below `docker stop`'s 10 s (and Kubernetes' 30 s) so servers finish before SIGKILL.
  gracefulTimeout: 8,
  // PYWARP_STOP_TIMEOUT: after a stop signal, the launcher kills the process group of a process still
  // running (an app that ignores SIGTERM); below the usual 30 s platform grace period.
  stopTimeout: 25,
} as const;

/** Run-time facts an option may need: of the host, or of the plan (`several_processes`: more than one). */
export type Condition = 'dev_shm' | 'root' | 'several_processes';

// The launcher stops uWSGI through it (stopFifo), and the master adds its workers through it.
const UWSGI_MASTER_FIFO = '{server_root}/pywarp-master.fifo';
// Where the user sets uWSGI's process count.
const UWSGI_PROCESSES = { options: ['-p', '--processes', '--workers'], env: ['UWSGI_PROCESSES', 'UWSGI_WORKERS'] } as const;

export interface Overrides {
  /** Option names (with aliases) that, in the user's args, replace our default. */
  readonly options?: readonly string[];
  /** Variables the server reads itself (UWSGI_PROCESSES…) that replace our default. */
  readonly env?: readonly string[];
  /** Setting names that, assigned in the server's config file, replace our default. */
  readonly settings?: readonly string[];
}

/** `default` is where the server looks when no option names one; hypercorn reads none unless told (null). */
export interface ConfigFile {
  readonly default: string | null;
  readonly options: readonly string[];
}

export interface ServerOption {
  readonly args: readonly string[];
  readonly unless?: Overrides;
  readonly when?: Condition;
}

/** `app`: the server serves no files; the app does (Django's WhiteNoise middleware, Starlette's StaticFiles). */
export type StaticServing = 'whitenoise' | 'url-alias' | 'static-map' | 'app';

export type Interface = 'wsgi' | 'asgi';

export interface Server {
  readonly name: string;
  /** The kind of app it runs; an app is never offered a server of the other kind. */
  readonly interface: Interface;
  /** PEP 503-normalized names of the distributions that must all be installed; the first is the server's own. */
  readonly distributions: readonly string[];
  readonly script: string;
  /** Unique among the rows of one interface. */
  readonly processType: string;
  /** The choice order among the servers of one interface when nothing is requested: 1 first (warpdrive's for WSGI). */
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
  readonly configFile?: ConfigFile;
  readonly needsApache: boolean;
  /**
   * How it takes an IPv6 PYWARP_HOST: 'any' address ({address} puts it in brackets; the default), or
   * only `::` ('all-addresses-only'), for which the launcher leaves out the options that use {host};
   * any other IPv6 address is then refused with one line.
   */
  readonly ipv6Hosts?: 'any' | 'all-addresses-only';
  /**
   * The signal that stops it gracefully; the launcher translates SIGTERM to it, and holds it until
   * the server catches it (SigCgt), so that a SIGTERM while it starts stops it gracefully too.
   */
  readonly stopSignal: 'SIGTERM' | 'SIGWINCH';
  /**
   * Instead of stopSignal: a FIFO the launcher writes `q` to (with run-time placeholders), once the
   * server reads it. uWSGI's master FIFO: read only in the master loop, where a graceful stop works.
   */
  readonly stopFifo?: string;
  /** What SIGTERM does, for the docs. */
  readonly graceful: string;
  /** A row this one replaces when both are installed (a newer home of the same server), sharing its process type. */
  readonly supersedes?: string;
  /**
   * Its workers are event loops (async servers): the launcher sizes them one per CPU, not with the
   * threaded formula's two per CPU; an event loop keeps a CPU busy on its own.
   */
  readonly eventLoops?: boolean;
  /**
   * Each of its processes imports the app at start, all at once, with no gate of its own: pywarp
   * serves the app through its wrapper (pywarp_wsgi), and the launcher makes a start gate
   * (pywarp_gate) that lets the first process import it alone and the others after it, so that the
   * first request is not held up by the others' imports.
   */
  readonly startGate?: boolean;
}

/** What gunicorn is whichever interface it serves: its command, where it reads settings, how it stops. */
const GUNICORN = {
  script: 'gunicorn',
  processType: 'gunicorn',
  preference: 2,
  // gunicorn with its workers' stop signals blocked until their handlers are in place.
  command: ['{venv}/bin/python', '{launcher_dir}/pywarp_gunicorn.py'],
  app: [{ args: ['{target}'], unless: { settings: ['wsgi_app'] } }],
  argsEnv: 'GUNICORN_CMD_ARGS',
  configFile: { default: 'gunicorn.conf.py', options: ['-c', '--config'] },
  needsApache: false,
  stopSignal: 'SIGTERM',
} as const;

/**
 * gunicorn's options whichever interface it serves; they differ only in how its workers run
 * (threads for WSGI, a uvicorn worker class for ASGI).
 */
function gunicornOptions(workerOption: ServerOption): readonly ServerOption[] {
  return [
    { args: ['--bind', '{address}'], unless: { options: ['-b', '--bind'], settings: ['bind'] } },
    { args: ['--workers', '{processes}'], unless: { options: ['-w', '--workers'], settings: ['workers'] } },
    workerOption,
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
    // A container is reached through the platform's proxy, whose address is not known here
    // (UvicornWorker passes the setting on to uvicorn).
    {
      args: ['--forwarded-allow-ips', '*'],
      unless: { options: ['--forwarded-allow-ips'], env: ['FORWARDED_ALLOW_IPS'], settings: ['forwarded_allow_ips'] },
    },
    { args: ['--access-logfile', '-'], unless: { options: ['--access-logfile'], settings: ['accesslog'] } },
    {
      args: ['--error-logfile', '-'],
      unless: { options: ['--error-logfile', '--log-file'], settings: ['errorlog'] },
    },
  ];
}

/** gunicorn running an ASGI app with a uvicorn worker class: the rows differ only in where that class lives. */
function gunicornAsgi(workerClass: string) {
  return {
    ...GUNICORN,
    interface: 'asgi',
    eventLoops: true,
    options: gunicornOptions({
      args: ['--worker-class', workerClass],
      unless: { options: ['-k', '--worker-class'], settings: ['worker_class'] },
    }),
    static: { serving: 'app', args: [] },
    graceful:
      'Each uvicorn worker stops accepting and finishes its in-flight requests within --graceful-timeout, then the arbiter exits 0.',
  } as const;
}

export const SERVERS = [
  {
    name: 'mod_wsgi',
    interface: 'wsgi',
    distributions: ['mod-wsgi'],
    script: 'mod_wsgi-express',
    processType: 'mod_wsgi',
    preference: 1,
    command: ['{venv}/bin/mod_wsgi-express', 'start-server'],
    options: [
      { args: ['--host', '{host}'], unless: { options: ['--host'] } },
      { args: ['--port', '{port}'], unless: { options: ['--port'] } },
      { args: ['--server-root', '{server_root}'], unless: { options: ['--server-root'] } },
      // Otherwise it picks en_US.UTF-8 for C and C.UTF-8 (even with LANG=C.UTF-8), which slim images lack.
      { args: ['--locale', '{locale}'], unless: { options: ['--locale', '--lang'] } },
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
      // Its daemons run the launcher directory's pywarp_gate.pth (site.addsitedir): the start gate,
      // entered before mod_wsgi's handler imports mod_wsgi.server; pywarp_wsgi leaves it.
      { args: ['--python-path', '{launcher_dir}'], unless: { options: ['--entry-point'] } },
      { args: ['--application-type', 'module'], unless: { options: ['--application-type'] } },
      { args: ['--entry-point', '{module}'], unless: { options: ['--entry-point'] } },
      { args: ['--callable-object', '{callable}'], unless: { options: ['--callable-object'] } },
    ],
    static: { serving: 'url-alias', args: ['--url-alias', '{static_url}', '{static_root}'] },
    // mod_wsgi-express preloads the app in every daemon process (WSGIImportScript)
    startGate: true,
    // warpdrive's MOD_WSGI_* variables (etc/start-mod_wsgi); mod_wsgi-express reads none itself.
    envOptions: [
      ...(
        [
          'PROCESSES',
          'THREADS',
          'MAX_CLIENTS',
          'INITIAL_WORKERS',
          'MINIMUM_SPARE_WORKERS',
          'MAXIMUM_SPARE_WORKERS',
          'LIMIT_REQUEST_BODY',
          'MAXIMUM_REQUESTS',
          'INACTIVITY_TIMEOUT',
          'REQUEST_TIMEOUT',
          'CONNECT_TIMEOUT',
          'SOCKET_TIMEOUT',
          'QUEUE_TIMEOUT',
          'HEADER_TIMEOUT',
          'HEADER_MAX_TIMEOUT',
          'BODY_TIMEOUT',
          'BODY_MAX_TIMEOUT',
          'HEADER_MIN_RATE',
          'BODY_MIN_RATE',
          'SERVER_BACKLOG',
          'DAEMON_BACKLOG',
          'SERVER_MPM',
          'LOG_LEVEL',
          'WORKING_DIRECTORY',
          'APPLICATION_TYPE',
          'ENTRY_POINT',
          'CALLABLE_OBJECT',
        ] as const
      ).map((n) => [`MOD_WSGI_${n}`, [`--${n.toLowerCase().replaceAll('_', '-')}`, '{value}']] as const),
      ['MOD_WSGI_ACCESS_LOG', ['--access-log']],
      ['MOD_WSGI_RELOAD_ON_CHANGES', ['--reload-on-changes']],
      ['MOD_WSGI_ENABLE_DEBUGGER', ['--debug-mode', '--enable-debugger']],
      ['MOD_WSGI_SERVER_STATUS', ['--server-status']],
    ],
    needsApache: true,
    // Its --host is also Apache's ServerName, which refuses IPv6 addresses; without --host it listens on all.
    ipv6Hosts: 'all-addresses-only',
    stopSignal: 'SIGWINCH',
    graceful:
      "SIGTERM becomes Apache's graceful stop (SIGWINCH): in-flight requests finish, exit 0; " +
      "after the graceful timeout the launcher kills Apache's process group (exit 137).",
  },
  {
    ...GUNICORN,
    name: 'gunicorn',
    interface: 'wsgi',
    distributions: ['gunicorn'],
    // More than one thread turns a sync worker into gthread, so an explicit worker class wins.
    options: gunicornOptions({
      args: ['--threads', '{threads}'],
      unless: { options: ['--threads', '-k', '--worker-class'], settings: ['threads', 'worker_class'] },
    }),
    static: { serving: 'whitenoise', args: [] },
    graceful: 'Workers finish their in-flight requests within --graceful-timeout, then the arbiter exits 0.',
  },
  {
    name: 'uwsgi',
    interface: 'wsgi',
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
        unless: UWSGI_PROCESSES,
      },
      { args: ['--threads', '{threads}'], unless: { options: ['--threads'], env: ['UWSGI_THREADS'] } },
      { args: ['--enable-threads'] },
      { args: ['--single-interpreter'] },
      // No --thunder-lock: its one accept lock for the 32 threads of all processes is handed from thread
      // to thread, a context switch each request. Without it (bench/launch.mjs, CPU-bound route): 15-25%
      // less CPU per request, 20-40% more req/s, I/O-bound routes no worse; but at saturation the p99 of
      // the CPU-bound route is several times longer (40-110 ms against 10-18 ms with the lock).
      { args: ['--need-app'] },
      // Workers' first full GC would write to every object they share with the master that loaded the
      // app, all at once (layers/launcher/pywarp_uwsgi.py): each worker freezes them after its fork.
      { args: ['--pyimport', '{launcher_dir}/pywarp_uwsgi.py'] },
      // The launcher stops it through this FIFO (stopFifo). A SIGTERM sent to uWSGI itself: in 2.0
      // SIGTERM reloads, --die-on-term makes it a brutal stop, and this hook makes it graceful once the
      // master loop runs (before that it is brutal).
      { args: ['--master-fifo', UWSGI_MASTER_FIFO] },
      { args: ['--die-on-term'] },
      { args: ['--hook-master-start', 'unix_signal:15 gracefully_kill_them_all'] },
      // One worker at first; the master (which holds the app) forks the others 1-2 s after the start, at
      // its first cheaper check (every --master-interval, 1 s) after this hook has written one '+' per
      // worker to its FIFO. Forked at once, they and their threads took CPU from the first worker's first
      // request (by hand, 20 starts: 324 -> 277 ms, naive 238). The 'manual' algorithm never stops one.
      {
        args: [
          '--cheaper',
          '1',
          '--cheaper-initial',
          '1',
          '--cheaper-algo',
          'manual',
          '--hook-master-start',
          `writefifo:${UWSGI_MASTER_FIFO} {later_processes}`,
        ],
        // the user's process count: how many '+' it would take is ours only
        unless: {
          options: [...UWSGI_PROCESSES.options, '--cheaper', '--cheaper-initial', '--cheaper-algo'],
          env: [...UWSGI_PROCESSES.env, 'UWSGI_CHEAPER', 'UWSGI_CHEAPER_INITIAL', 'UWSGI_CHEAPER_ALGO'],
        },
        when: 'several_processes',
      },
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
    stopFifo: UWSGI_MASTER_FIFO,
    graceful: 'Workers finish their in-flight requests within --worker-reload-mercy, then the master exits 0.',
  },
  {
    name: 'waitress',
    interface: 'wsgi',
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
    graceful: 'The wrapper stops accepting, lets in-flight requests finish within --graceful-timeout, closes idle connections and exits 0.',
  },
  {
    name: 'uvicorn',
    interface: 'asgi',
    distributions: ['uvicorn'],
    script: 'uvicorn',
    processType: 'uvicorn',
    preference: 1,
    eventLoops: true,
    // uvicorn with its --workers supervisor replaced (the first worker is the process that binds the
    // socket, the others start once it serves; TCP_NODELAY; a worker that dies stops it) and
    // lifespan failures fatal for apps that take the startup event (pywarp_uvicorn.py says how).
    command: ['{venv}/bin/python', '{launcher_dir}/pywarp_uvicorn.py'],
    // uvicorn reads UVICORN_<OPTION> for every option (click's auto_envvar_prefix), below an
    // option on the command line: each of ours steps aside for its variable.
    options: [
      {
        args: ['--host', '{host}'],
        unless: { options: ['--host', '--uds', '--fd'], env: ['UVICORN_HOST', 'UVICORN_UDS', 'UVICORN_FD'] },
      },
      {
        args: ['--port', '{port}'],
        unless: { options: ['--port', '--uds', '--fd'], env: ['UVICORN_PORT', 'UVICORN_UDS', 'UVICORN_FD'] },
      },
      // Its --workers, run by pywarp_uvicorn: this process and the others it starts.
      { args: ['--workers', '{processes}'], unless: { options: ['--workers', '--reload'], env: ['UVICORN_WORKERS', 'UVICORN_RELOAD'] } },
      // Proxy headers are on by default, trusted from 127.0.0.1 only; the platform's proxy is elsewhere.
      {
        args: ['--forwarded-allow-ips', '*'],
        unless: { options: ['--forwarded-allow-ips'], env: ['FORWARDED_ALLOW_IPS', 'UVICORN_FORWARDED_ALLOW_IPS'] },
      },
      // Left as they are: the access log goes to stdout; lifespan stays `auto` (`on` refuses apps
      // without it, Django's among them), made strict by the wrapper for apps that take its events.
    ],
    app: [{ args: ['{target}'] }],
    static: { serving: 'app', args: [] },
    needsApache: false,
    stopSignal: 'SIGTERM',
    graceful:
      'It stops accepting, closes idle connections and exits 0 once in-flight requests finish (it passes the ' +
      "signal on to its other workers and waits for them); uvicorn before 0.20 has no time limit of its own, the platform's kill is one.",
  },
  {
    name: 'gunicorn-uvicorn',
    distributions: ['gunicorn', 'uvicorn'],
    // in uvicorn itself until 0.30 moved it to the uvicorn-worker package (a deprecated alias stays)
    ...gunicornAsgi('uvicorn.workers.UvicornWorker'),
  },
  {
    name: 'gunicorn-uvicorn-worker',
    distributions: ['gunicorn', 'uvicorn-worker'],
    supersedes: 'gunicorn-uvicorn',
    ...gunicornAsgi('uvicorn_worker.UvicornWorker'),
  },
  {
    name: 'hypercorn',
    interface: 'asgi',
    distributions: ['hypercorn'],
    script: 'hypercorn',
    processType: 'hypercorn',
    preference: 3,
    eventLoops: true,
    // hypercorn that exits 1, not 0, when its workers fail (a lifespan startup that fails in each), and
    // whose workers finish their requests on a stop (pywarp_hypercorn.py says how).
    command: ['{venv}/bin/python', '{launcher_dir}/pywarp_hypercorn.py'],
    // Settings in a config file the user names with --config replace these (hypercorn's command
    // line would otherwise win over its file); hypercorn reads no variables.
    options: [
      {
        args: ['--bind', '{address}'],
        unless: { options: ['-b', '--bind', '--insecure-bind', '--quic-bind'], settings: ['bind', 'insecure_bind', 'quic_bind'] },
      },
      { args: ['--workers', '{processes}'], unless: { options: ['-w', '--workers'], settings: ['workers'] } },
      {
        args: ['--graceful-timeout', '{graceful_timeout}'],
        unless: { options: ['--graceful-timeout'], settings: ['graceful_timeout'] },
      },
      // Off by default.
      { args: ['--access-logfile', '-'], unless: { options: ['--access-logfile', '--access-log'], settings: ['accesslog'] } },
      {
        args: ['--error-logfile', '-'],
        unless: { options: ['--error-logfile', '--error-log', '--log-file'], settings: ['errorlog'] },
      },
    ],
    app: [{ args: ['{target}'] }],
    static: { serving: 'app', args: [] },
    configFile: { default: null, options: ['-c', '--config'] },
    needsApache: false,
    stopSignal: 'SIGTERM',
    graceful:
      'It stops accepting, lets in-flight requests finish within --graceful-timeout (its master tells each ' +
      'worker to) and exits 0. Lifespan runs in every worker. Hypercorn before 0.14 reads no proxy headers.',
  },
  {
    name: 'daphne',
    interface: 'asgi',
    distributions: ['daphne'],
    script: 'daphne',
    processType: 'daphne',
    preference: 4,
    // daphne cancels requests in flight on SIGTERM; this wrapper runs it and stops it gracefully.
    command: ['{venv}/bin/python', '{launcher_dir}/pywarp_daphne.py'],
    // One process (no workers option); no lifespan events (Daphne 4).
    options: [
      { args: ['--bind', '{host}'], unless: { options: ['-b', '--bind', '-u', '--unix-socket', '--fd', '-e', '--endpoint'] } },
      { args: ['--port', '{port}'], unless: { options: ['-p', '--port', '-u', '--unix-socket', '--fd', '-e', '--endpoint'] } },
      { args: ['--graceful-timeout', '{graceful_timeout}'], unless: { options: ['--graceful-timeout'] } },
      { args: ['--access-log', '-'], unless: { options: ['--access-log'] } },
      // Daphne trusts X-Forwarded-* from anyone or no one: a FORWARDED_ALLOW_IPS it cannot honour means no one.
      { args: ['--proxy-headers'], unless: { options: ['--proxy-headers'], env: ['FORWARDED_ALLOW_IPS'] } },
    ],
    app: [{ args: ['{target}'] }],
    static: { serving: 'app', args: [] },
    needsApache: false,
    stopSignal: 'SIGTERM',
    graceful:
      'The wrapper stops accepting, lets in-flight requests finish within --graceful-timeout, then stops ' +
      'daphne (open websockets are closed) and exits 0.',
  },
] as const satisfies readonly Server[];

export type ServerName = (typeof SERVERS)[number]['name'];

export const SERVER_NAMES: readonly ServerName[] = SERVERS.map((s) => s.name);

// WSGI rows first (warpdrive's order), then ASGI ones.
const INTERFACES: readonly Interface[] = ['wsgi', 'asgi'];
const BY_PREFERENCE: readonly ServerName[] = [...SERVERS]
  .sort((a, b) => INTERFACES.indexOf(a.interface) - INTERFACES.indexOf(b.interface) || a.preference - b.preference)
  .map((s) => s.name);

export function serverNamed(name: ServerName): Server {
  const server = SERVERS.find((s) => s.name === name);
  if (!server) throw new Error(`no server named ${name}`);
  return server;
}

export function isServerName(name: string): name is ServerName {
  return (SERVER_NAMES as readonly string[]).includes(name);
}

/** What users name a server by (BP_PYTHON_SERVER, PYWARP_SERVER_TYPE): its process type. */
export const SERVER_TYPES: readonly string[] = [...new Set(BY_PREFERENCE.map((n) => serverNamed(n).processType))];

/** The row that runs an app of `iface` under the process type `type`, when there is one. */
export function serverOfType(type: string, iface: Interface): Server | undefined {
  return BY_PREFERENCE.map(serverNamed).find((s) => s.processType === type && s.interface === iface && !s.supersedes);
}

/** The servers whose distributions are all among `distributions`, in preference order. */
export function serversInstalled(distributions: readonly string[]): ServerName[] {
  const have = new Set(distributions.map(normalizeName));
  const rows: readonly Server[] = SERVERS.filter((s) => s.distributions.every((d) => have.has(d)));
  const superseded = new Set(rows.map((s) => s.supersedes));
  return sortByPreference(rows.filter((s) => !superseded.has(s.name)).map((s) => s.name as ServerName));
}

/** The names among `names` whose rows serve `iface`. */
export function forInterface(names: readonly ServerName[], iface: Interface): ServerName[] {
  return names.filter((n) => serverNamed(n).interface === iface);
}

/** Installed servers in preference order. */
export function sortByPreference(installed: readonly ServerName[]): ServerName[] {
  return BY_PREFERENCE.filter((n) => installed.includes(n));
}
