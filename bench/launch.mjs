// Throughput, latency and time to the first 200 of pywarp's `web` process against each
// server's naive command, the peers' default command lines and a small sweep, same run.
//   node bench/launch.mjs [--only wsgi|asgi] [--servers gunicorn,uwsgi,waitress,mod_wsgi]
//                         [--configs REGEXP] [--rounds N] [--duration S] [--starts N] [--pid-1] [--no-bundle]
// (--configs keeps web, naive and the configurations whose name matches: for quick runs;
// --starts adds N start-only rounds of web, its argv run directly (also behind one bare start of
// the launcher's Python, and with naive's pool) and naive: first 200 is the median of every start,
// so that the launcher's share is not read from 3 starts; --pid-1 starts every configuration as
// PID 1 of a PID namespace of its own, as in a container, with `unshare --pid --fork --mount-proc`:
// the launcher then spawns its child rather than forking it, see layers/launcher/pywarp_init.py)
// Needs wrk (Debian's `wrk` package); installs it with apt-get when it is missing.
//
// A row is one app built once with pywarp (fixtures served on 127.0.0.1, scrubbed env):
//   wsgi  samples/warpdrive-flask with gunicorn, uWSGI, waitress and mod_wsgi installed
//         (BP_PYTHON_SERVER=gunicorn), plus two routes: / (hello: CPU-bound), /io (sleeps
//         10 ms: I/O-bound), /mixed (1 request in 10 sleeps 100 ms, the rest are hello)
//   asgi  samples/fastapi: / and /slow?seconds=0.01 (hello and io; it has no mixed route)
// A row has sections, one per server. A section's configurations all run the same app from
// the same venv: `web` (the image's process started as the CNB launcher would, with the
// layer's launcher directly: no Node CLI), the server's naive command, the peers' default
// command lines for that server (docs: ../shared/docs/peers.md) and a sweep.
// In rounds whose order rotates, each configuration is started in its own session on
// 127.0.0.1 and timed from spawn to its first 200 (bounded poll); then each route, in a
// rotating order, is loaded with `wrk -t2 -c32` (1 s warm-up, then S s with --latency),
// and the server's CPU time (all processes of its session, /proc) is divided by the
// requests served: µs of CPU per request, a figure that the machine's other load disturbs
// less than req/s. Then the session is stopped.
// Targets, per section and route, as ratios in the same run (the table says MISSED where
// missed; exits 0): web ≥ every peer default (req/s); ≥ 0.95× the best swept setting;
// ≥ 1.5× naive on the mixed route; p99 ≤ the best swept setting's; time to first 200
// ≤ 1.1× naive, and (the launcher's own share) ≤ 1.1× web's argv started without it; untargeted,
// the launcher's share is split into one bare Python start (what any launcher written in Python
// costs: its argv behind `python3 -I -S -c` that execs it) and the launcher's work beyond it, and the
// rest between web's pool (its argv with naive's pool size) and its other options.
// Single starts spread over tens of ms, so each first-200 ratio comes with the 90 % bootstrap
// interval of its medians: met when the whole interval is at or below 1.1×, MISSED when the whole
// interval is above, else "inside the noise" (more --starts narrow it). And, as a
// default is one setting for every route: web's worst route (req/s, p99) against the best single
// swept setting's worst route, each route's figure taken against that route's best swept.
// Prints tables, then JSON (also bench/results/launch.json, launch-asgi.json). The CPUs are
// shared by the server AND wrk (2 threads): compare the ratios, not the absolutes.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as L from './lib.mjs';

const TARGETS = { overPeers: 1, overBest: 0.95, mixedOverNaive: 1.5, p99OverBest: 1, firstOverNaive: 1.1 };
const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    servers: { type: 'string' },
    configs: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '5' },
    starts: { type: 'string', default: '10' },
    'pid-1': { type: 'boolean' },
    'no-bundle': { type: 'boolean' },
  },
});
if (values.only !== undefined && !['wsgi', 'asgi'].includes(values.only)) throw new Error(`--only takes wsgi or asgi, not ${values.only}`);
const rounds = Number(values.rounds);
const duration = Number(values.duration);
const starts = Number(values.starts);
const AS_PID_1 = ['--pid', '--fork', '--mount-proc', '--kill-child'];
if (values['pid-1']) execFileSync('unshare', [...AS_PID_1, 'true'], { stdio: 'inherit' });
const WARMUP_S = 1;
const CONNECTIONS = 32;
const WRK_THREADS = 2;
const IO_SECONDS = 0.01;
const SLOW_SECONDS = 0.1;
const HOST_CPUS = cpus().length;
const HOST_MIB = Math.floor(totalmem() / 1024 / 1024);

function ensureWrk() {
  const found = () => {
    try {
      return execFileSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8', env: { PATH: '/usr/local/bin:/usr/bin:/bin' } }).trim();
    } catch {
      return '';
    }
  };
  if (found()) return found();
  console.error('wrk is missing: apt-get install -y wrk');
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'wrk'], {
    stdio: 'inherit',
    timeout: 300_000,
    env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (!found()) throw new Error('wrk is still missing after apt-get install wrk');
  return found();
}

/** Seconds, from wrk's "12.34ms" / "850.00us" / "1.20s" / "2.00m". */
function wrkTime(text) {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text);
  if (!m) return NaN;
  return Number(m[1]) * { us: 1e-6, ms: 1e-3, s: 1, m: 60 }[m[2]];
}

function parseWrk(output) {
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1]);
  const p99 = wrkTime(/^\s+99%\s+(\S+)/m.exec(output)?.[1] ?? '');
  const p50 = wrkTime(/^\s+50%\s+(\S+)/m.exec(output)?.[1] ?? '');
  const requests = Number(/(\d+) requests in/.exec(output)?.[1]);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0);
  return {
    rps,
    p50ms: p50 * 1000,
    p99ms: p99 * 1000,
    requests,
    errors: (sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0) + non2xx,
  };
}

// ---------------------------------------------------------------- what runs

const ROOT_FLAGS = process.getuid?.() === 0;
// Apache refuses to run its workers as root; the launcher picks the same account.
const apacheUser = ROOT_FLAGS ? ['--user', 'nobody', '--group', 'nogroup'] : [];
/** s2i-python-container's s2i/bin/run: min(2 × cores, (MiB − 43) / 40, 12), at least 1 (no limit here: host RAM). */
const s2iConcurrency = Math.max(1, Math.min(2 * HOST_CPUS, Math.floor((HOST_MIB - 43) / 40), 12));
/** heroku-buildpack-python's vendor/WEB_CONCURRENCY.sh: min(2 × cores + 1, MiB / 256). */
const herokuConcurrency = Math.max(1, Math.min(2 * HOST_CPUS + 1, Math.floor(HOST_MIB / 256)));

const WSGI_ROUTES = { hello: '/', io: '/io', mixed: '/mixed' };
const WSGI_APPENDIX = `

import itertools as _bench_itertools
import time as _bench_time

_bench_requests = _bench_itertools.count()


@application.route("/io")
def _bench_io():
    _bench_time.sleep(${IO_SECONDS})
    return "slept\\n"


@application.route("/mixed")
def _bench_mixed():
    if next(_bench_requests) % 10 == 0:
        _bench_time.sleep(${SLOW_SECONDS})
    return "mixed\\n"
`;

/**
 * A configuration: name, kind (web | naive | peer | sweep | diagnostic) and command(port, ctx)
 * → { file, args, env }; ctx has venv, home, a fresh serverRoot dir and webArgv (what web runs).
 */
const inVenv =
  (script, extra = {}) =>
  (args) =>
  (port, ctx) => ({
    file: join(ctx.venv, 'bin', script),
    args: args(port, ctx),
    env: L.scrubbedEnv(ctx.home, extra),
  });

const gunicorn = (extraArgs, extraEnv = {}) =>
  inVenv('gunicorn', extraEnv)((port) => ['--bind', `127.0.0.1:${port}`, ...extraArgs, 'wsgi:application']);
const uwsgi = (extraArgs) =>
  inVenv('uwsgi')((port) => ['--http-socket', `127.0.0.1:${port}`, ...extraArgs, '--module', 'wsgi:application']);
const waitress = (extraArgs) => inVenv('waitress-serve')((port) => ['--listen', `127.0.0.1:${port}`, ...extraArgs, 'wsgi:application']);
const modWsgi = (extraArgs) =>
  inVenv('mod_wsgi-express')((port, ctx) => [
    'start-server',
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--server-root',
    ctx.serverRoot,
    '--locale',
    'C.UTF-8',
    ...apacheUser,
    ...extraArgs,
    '--application-type',
    'module',
    '--entry-point',
    'wsgi',
    '--callable-object',
    'application',
  ]);

/** web's own argv (from the launcher's "starting" line) run directly. */
function webArgv(port, ctx) {
  const argv = ctx.webArgv.map((a, i) =>
    // the probe's port and the launcher's temp dir (gone with the probe) become this run's
    ctx.webArgv[i - 1] === '--port'
      ? String(port)
      : a.replace(/^127\.0\.0\.1:\d+$/, `127.0.0.1:${port}`).replace(SERVER_ROOT, ctx.serverRoot),
  );
  const env = Object.fromEntries(Object.entries(ctx.webEnv).map(([k, v]) => [k, v.replace(SERVER_ROOT, ctx.serverRoot)]));
  // the file the launcher makes for mod_wsgi's start gate (pywarp_wsgi)
  if (env.PYWARP_START_GATE) writeFileSync(env.PYWARP_START_GATE, '');
  return { file: argv[0], args: argv.slice(1), env };
}

const SERVER_ROOT = /\/tmp\/pywarp-server-[^/]+/;

/**
 * web's own argv behind one bare start of the launcher's Python, which execs it: the one Python start
 * that no launcher written in Python can do without; web against it is the launcher's own work.
 */
function webArgvBehindPython(port, ctx) {
  const command = webArgv(port, ctx);
  const script = 'import os, sys; os.execv(sys.argv[1], sys.argv[1:])';
  return { ...command, file: ctx.launcherPython, args: ['-I', '-S', '-c', script, command.file, ...command.args] };
}

/** web's own argv run directly, edited: `edit` maps its arguments (the app last) to new ones. */
function webArgvEdited(edit) {
  return (port, ctx) => {
    const command = webArgv(port, ctx);
    return { ...command, args: edit(command.args) };
  };
}

/** web's own argv run directly with `extra` options before its last argument (the app). */
const webArgvWith = (extra) => webArgvEdited((args) => [...args.slice(0, -1), ...extra, args.at(-1)]);

/** Sets the value of each option named in `values` ({ '--threads': '16' }). */
const setOptions = (values) => (args) => args.map((a, i) => (Object.hasOwn(values, args[i - 1]) ? values[args[i - 1]] : a));

/** Without each option named in `names`, and its value. */
const withoutOptions = (names) => (args) => args.filter((a, i) => !names.includes(a) && !names.includes(args[i - 1]));

/** uWSGI's one-worker-first options (servers.ts), which it refuses for one process. */
const withoutLaterWorkers = withoutOptions(['--cheaper', '--cheaper-initial', '--cheaper-algo', '--hook-master-start']);

const sweep = (name, dims, command) => ({ name, kind: 'sweep', ...dims, command });

const WSGI_SECTIONS = {
  gunicorn: {
    processType: 'gunicorn',
    naive: gunicorn([]),
    peers: [
      // warpdrive's etc/start-gunicorn
      { name: 'warpdrive: gunicorn --log-file - --bind', command: gunicorn(['--log-file', '-']) },
      // Google's default entrypoint, `gunicorn -b :8080 main:app` (the app's module here is wsgi)
      { name: 'Google: gunicorn -b', command: inVenv('gunicorn')((port) => ['-b', `127.0.0.1:${port}`, 'wsgi:application']) },
      // s2i-python-container: GUNICORN_CMD_ARGS and WEB_CONCURRENCY from its formula
      {
        name: `s2i: --access-logfile=- WEB_CONCURRENCY=${s2iConcurrency}`,
        command: gunicorn(['--access-logfile=-'], { WEB_CONCURRENCY: String(s2iConcurrency) }),
      },
      // Heroku classic: WEB_CONCURRENCY from the dyno's CPUs and memory, FORWARDED_ALLOW_IPS=*
      {
        name: `Heroku classic: WEB_CONCURRENCY=${herokuConcurrency}`,
        command: gunicorn([], { WEB_CONCURRENCY: String(herokuConcurrency), FORWARDED_ALLOW_IPS: '*' }),
      },
    ],
    sweep: [1, 2, 4, 8].flatMap((w) =>
      [1, 4, 8].map((t) =>
        sweep(`-w ${w} --threads ${t}`, { workers: w, threads: t }, gunicorn(['--workers', String(w), '--threads', String(t)])),
      ),
    ),
    // naive runs one sync worker
    naivePool: { '--workers': '1', '--threads': '1' },
    // what the access log costs, and twice the threads or the processes (slack for keep-alive clients)
    diagnostics: [
      { name: 'web argv, no access log', command: webArgvEdited(withoutOptions(['--access-logfile'])) },
      { name: 'web argv, --threads 16', command: webArgvEdited(setOptions({ '--threads': '16' })) },
      { name: 'web argv, --workers 8', command: webArgvEdited(setOptions({ '--workers': '8' })) },
    ],
  },
  uwsgi: {
    processType: 'uwsgi',
    naive: uwsgi([]),
    peers: [
      {
        name: 'warpdrive: --master --threads=5 …',
        command: uwsgi(['--master', '--enable-threads', '--threads=5', '--thunder-lock', '--single-interpreter', '--die-on-term']),
      },
    ],
    sweep: [2, 4].flatMap((p) =>
      [1, 4, 8].map((t) =>
        sweep(
          `--master -p ${p} --threads ${t}`,
          { workers: p, threads: t },
          uwsgi(['--master', '--processes', String(p), '--threads', String(t), '--enable-threads', '--thunder-lock']),
        ),
      ),
    ),
    // naive runs one process of one thread
    naivePool: { '--processes': '1', '--threads': '1' },
    // what the accept lock, the request log, threads and keep-alive cost on each route (the log copied
    // through the launcher's pipe: web vs its argv run directly); --http11-socket holds a thread per
    // connection for as long as the client keeps it: see its p99
    diagnostics: [
      { name: 'web argv, --thunder-lock', command: webArgvEdited((args) => [...args, '--thunder-lock']) },
      { name: 'web argv, --disable-logging', command: webArgvEdited((args) => [...args, '--disable-logging']) },
      { name: 'web argv, --threads 1', command: webArgvEdited(setOptions({ '--threads': '1' })) },
      {
        name: 'web argv, --http11-socket',
        command: webArgvEdited((args) => args.map((a) => (a === '--http-socket' ? '--http11-socket' : a))),
      },
    ],
  },
  waitress: {
    processType: 'waitress',
    naive: waitress([]),
    peers: [{ name: 'warpdrive: --threads=5', command: waitress(['--threads=5']) }],
    sweep: [4, 8, 16, 32].map((t) => sweep(`--threads ${t}`, { threads: t }, waitress(['--threads', String(t)]))),
    // waitress' default
    naivePool: { '--threads': '4' },
    diagnostics: [{ name: 'web argv, no access log', command: webArgvEdited((args) => args.filter((a) => a !== '--access-log')) }],
  },
  mod_wsgi: {
    processType: 'mod_wsgi',
    naive: modWsgi([]),
    peers: [{ name: 'warpdrive: --log-to-terminal --startup-log', command: modWsgi(['--log-to-terminal', '--startup-log']) }],
    sweep: [1, 2, 4].flatMap((p) =>
      [5, 8].map((t) =>
        sweep(`--processes ${p} --threads ${t}`, { workers: p, threads: t }, modWsgi(['--processes', String(p), '--threads', String(t)])),
      ),
    ),
    // mod_wsgi-express' default
    naivePool: { '--processes': '1', '--threads': '5' },
    diagnostics: [],
  },
};

const uvicorn = (extra) => inVenv('uvicorn')((port) => ['--host', '127.0.0.1', '--port', String(port), ...extra, 'main:app']);

// A row: an app built once; its sections name the process type `web` is measured as.
const ROWS = {
  wsgi: {
    title: 'samples/warpdrive-flask (Flask 2.2) with gunicorn 20.1, uWSGI 2.0, waitress 2.1, mod_wsgi 5.0',
    results: 'launch',
    buildEnv: { BP_PYTHON_SERVER: 'gunicorn' },
    prepare(dir) {
      const app = L.copySample('warpdrive-flask', dir);
      writeFileSync(join(app, 'requirements.txt'), 'Flask\ngunicorn\nuWSGI\nwaitress\nmod_wsgi\n');
      appendFileSync(join(app, 'wsgi.py'), WSGI_APPENDIX);
      return app;
    },
    routes: WSGI_ROUTES,
    sections: WSGI_SECTIONS,
  },
  // The ASGI row: naive uvicorn and a --workers sweep (bench/launch.mjs before the sections).
  asgi: {
    title: 'samples/fastapi (FastAPI hello route, JSON)',
    results: 'launch-asgi',
    buildEnv: {},
    prepare: (dir) => L.copySample('fastapi', dir),
    routes: { hello: '/', io: `/slow?seconds=${IO_SECONDS}` },
    sections: {
      uvicorn: {
        processType: 'web',
        naive: uvicorn([]),
        peers: [{ name: 'Google: uvicorn --port 8080 --host 0.0.0.0', command: uvicorn([]) }],
        // uvicorn's own supervisor: from 2 workers up without TCP_NODELAY (see layers/launcher/pywarp_uvicorn.py)
        sweep: [1, 2, 4, 8].map((w) => sweep(`--workers ${w}`, { workers: w }, uvicorn(['--workers', String(w)]))),
        // what the access log and one process per CPU cost
        diagnostics: [
          { name: 'web argv, no access log', command: webArgvWith(['--no-access-log']) },
          { name: 'web argv, --workers 1', command: webArgvWith(['--workers', '1']) },
        ],
      },
    },
  },
};

// ---------------------------------------------------------------- measuring

const wrk = ensureWrk();
L.bundle();
const fixtures = L.findFixtures();
const fileServer = await L.startFileServer(fixtures.dir);
const work = L.tempDir('pywarp-bench-launch-');
const home = join(work, 'home');
const started = [];
let serial = 0;

/** Starts `config`, times the first 200, loads each route (in `routeOrder`), stops it. */
async function measure(config, ctx, routeOrder) {
  const port = await L.freePort();
  const serverRoot = join(work, `server-root-${++serial}`);
  mkdirSync(serverRoot, { mode: 0o755 });
  const command = config.command(port, { ...ctx, serverRoot });
  const [file, args] = values['pid-1'] ? ['unshare', [...AS_PID_1, command.file, ...command.args]] : [command.file, command.args];
  const logFile = join(work, `run-${serial}.log`);
  const since = process.hrtime.bigint();
  const srv = L.startServer(file, args, { cwd: ctx.app, env: command.env, logFile });
  started.push(srv);
  let exited = false;
  srv.exited.then(() => {
    exited = true;
  });
  try {
    const firstOkMs = await L.waitFor200(`http://127.0.0.1:${port}/`, since, { timeoutMs: 60_000, alive: () => !exited });
    const routes = {};
    for (const [route, path] of routeOrder) {
      const url = `http://127.0.0.1:${port}${path}`;
      const bound = { env: { PATH: '/usr/bin:/bin' }, timeoutMs: (duration + WARMUP_S + 30) * 1000 };
      await L.runOk(wrk, ['-t', String(WRK_THREADS), '-c', String(CONNECTIONS), '-d', `${WARMUP_S}s`, url], bound);
      const cpuBefore = L.sessionCpuMs(srv.pid);
      const load = await L.runOk(
        wrk,
        ['-t', String(WRK_THREADS), '-c', String(CONNECTIONS), '-d', `${duration}s`, '--timeout', '5s', '--latency', url],
        bound,
      );
      const cpuMs = L.sessionCpuMs(srv.pid) - cpuBefore;
      const m = parseWrk(load.output);
      // the 1-minute load average as the load ended: how busy the shared machine was
      routes[route] = { ...m, cpuUsPerRequest: (cpuMs * 1000) / m.requests, load: L.loadavg() };
    }
    return { firstOkMs, routes };
  } catch (err) {
    throw new Error(`${config.name}: ${err.message}\n--- server log ---\n${L.tailOf(srv.log())}`);
  } finally {
    await srv.stop(config.kind === 'web' ? 10_000 : 3_000);
  }
}

/** The first start of a process type, not measured: warms the page cache and tells what `web` runs. */
async function probe(webCommand, ctx) {
  const port = await L.freePort();
  const { file, args, env } = webCommand(port);
  const logFile = join(work, `probe-${++serial}.log`);
  const stderrFile = join(work, `probe-${serial}.stderr`);
  const srv = L.startServer(file, args, { cwd: ctx.app, env, logFile, stderrFile });
  started.push(srv);
  let childEnv;
  try {
    await L.waitFor200(`http://127.0.0.1:${port}/`, process.hrtime.bigint(), { timeoutMs: 60_000 });
    childEnv = serverEnv(srv.pid);
  } finally {
    await srv.stop();
  }
  const line = /^pywarp: starting (.*?): (\/.*)$/m.exec(readFileSync(stderrFile, 'utf8'));
  if (!line) throw new Error(`the launcher did not say what it starts:\n${L.tailOf(readFileSync(stderrFile, 'utf8'))}`);
  return { note: line[1], argv: shellSplit(line[2]), env: childEnv };
}

/** The environment the launcher (pid) gave its child, the server: the image's plus the server's own variables. */
function serverEnv(pid) {
  const [child] = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/);
  const entries = readFileSync(`/proc/${child}/environ`, 'utf8').split('\0').filter(Boolean);
  return Object.fromEntries(entries.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
}

/** Splits what Python's shlex.join wrote: words, '…' (no escapes inside) and "…" quoting. */
function shellSplit(text) {
  const words = [];
  let word = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === ' ') {
      if (word !== null) words.push(word);
      word = null;
    } else if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      word = (word ?? '') + text.slice(i + 1, end);
      i = end;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== null) words.push(word);
  return words;
}

const DIRECT = 'web argv run directly';
const BEHIND_PYTHON = 'web argv behind one bare Python start';
const POOLED = "web argv, naive's pool";
const rotate = (xs, by) => xs.map((_, i) => xs[(i + by) % xs.length]);

/** Builds the row's app, then measures each of its sections in rotating rounds. */
async function measureRow(key, onlyServers) {
  const row = ROWS[key];
  const root = join(work, key);
  const layers = join(root, 'image', 'layers');
  const app = row.prepare(join(root, 'app'));
  const buildpack = L.makeTestBuildpack(join(root, 'buildpack'), fixtures, fileServer.url);
  const built = await L.pywarpBuild({ app, buildpack, root: join(root, 'image'), home, serverUrl: fileServer.url, extraEnv: row.buildEnv });
  if (built.code !== 0) throw new Error(`pywarp build exited ${built.code}:\n${L.tailOf(built.output, 40)}`);
  const venv = join(layers, 'pywarp_python', 'venv');
  const sections = [];
  for (const [server, section] of Object.entries(row.sections)) {
    if (onlyServers && !onlyServers.includes(server)) continue;
    const loadAtStart = L.loadavg();
    const webCommand = (port) =>
      L.imageProcess(layers, section.processType, L.scrubbedEnv(home, { PORT: String(port), PYWARP_HOST: '127.0.0.1' }));
    const web = await probe(webCommand, { app });
    // the server's environment, as the launcher gave it (the image's and the server's own variables)
    // the launcher's Python: the first word of the process type's command (the port does not change it)
    const ctx = { app, venv, home, webArgv: web.argv, webEnv: web.env, launcherPython: webCommand(0).file };
    const configs = [
      { name: `web (pywarp ${section.processType})`, kind: 'web', command: webCommand },
      { name: `naive ${server}`, kind: 'naive', command: section.naive },
      ...section.peers.map((p) => ({ ...p, kind: 'peer' })),
      ...section.sweep,
      // the same argv without the launcher: what the launcher itself adds to the first 200
      { name: DIRECT, kind: 'diagnostic', command: webArgv },
      { name: BEHIND_PYTHON, kind: 'diagnostic', command: webArgvBehindPython },
      // and with naive's pool: what web's larger pool adds to it, and what the rest of its options add
      ...(section.naivePool
        ? [
            {
              name: `${POOLED} (${Object.entries(section.naivePool).flat().join(' ')})`,
              kind: 'diagnostic',
              pooled: true,
              command: webArgvEdited((args) => setOptions(section.naivePool)(withoutLaterWorkers(args))),
            },
          ]
        : []),
      ...section.diagnostics.map((d) => ({ ...d, kind: 'diagnostic' })),
    ].filter((c) => !values.configs || c.kind === 'web' || c.kind === 'naive' || new RegExp(values.configs).test(c.name));
    const routes = Object.entries(row.routes);
    const samples = new Map(configs.map((c) => [c.name, []]));
    let n = 0;
    for (let r = 0; r < rounds; r++) {
      // rotate the order so that no configuration (or route) always runs at the same point
      for (const config of rotate(configs, r * Math.ceil(configs.length / rounds))) {
        const m = await measure(config, ctx, rotate(routes, r + n));
        samples.get(config.name).push(m);
        const summary = Object.entries(m.routes)
          .map(([route, x]) => `${route} ${Math.round(x.rps)}/s p99 ${L.round(x.p99ms)} ms ${Math.round(x.cpuUsPerRequest)} µs`)
          .join(', ');
        process.stderr.write(
          `[${key} ${server} ${++n}/${rounds * configs.length}] ${config.name}: first 200 ${Math.round(m.firstOkMs)} ms; ${summary}\n`,
        );
      }
    }
    // start-only rounds, interleaved, for the configurations the first-200 targets compare
    const timed = configs.filter(
      (c) => c.kind === 'web' || c.kind === 'naive' || c.name === DIRECT || c.name === BEHIND_PYTHON || c.pooled,
    );
    const firsts = new Map(configs.map((c) => [c.name, samples.get(c.name).map((x) => x.firstOkMs)]));
    for (let r = 0; r < starts; r++) {
      for (const config of rotate(timed, r)) firsts.get(config.name).push((await measure(config, ctx, [])).firstOkMs);
    }
    if (starts > 0) {
      const medians = timed.map((c) => `${c.name} ${Math.round(L.median(firsts.get(c.name)))} ms`).join(', ');
      process.stderr.write(`[${key} ${server}] first 200 over ${rounds + starts} starts: ${medians}\n`);
    }
    const results = configs.map((c) => {
      const s = samples.get(c.name);
      const perRoute = Object.fromEntries(
        routes.map(([route]) => {
          const xs = s.map((x) => x.routes[route]);
          return [
            route,
            {
              rps: Math.round(L.median(xs.map((x) => x.rps))),
              p50ms: L.round(L.median(xs.map((x) => x.p50ms)), 2),
              p99ms: L.round(L.median(xs.map((x) => x.p99ms)), 2),
              cpuUsPerRequest: Math.round(L.median(xs.map((x) => x.cpuUsPerRequest))),
              errors: xs.reduce((a, x) => a + x.errors, 0),
              rounds: xs.map((x) => ({ rps: Math.round(x.rps), p99ms: L.round(x.p99ms, 2), errors: x.errors, load: x.load })),
            },
          ];
        }),
      );
      return {
        name: c.name,
        kind: c.kind,
        pooled: c.pooled,
        workers: c.workers,
        threads: c.threads,
        firstOkMs: Math.round(L.median(firsts.get(c.name))),
        firstOkRounds: firsts.get(c.name).map(Math.round),
        routes: perRoute,
      };
    });
    sections.push({ server, webNote: web.note, webArgv: web.argv, results, loadAtStart, loadAtEnd: L.loadavg() });
  }
  return { key, row, sections };
}

const measured = [];
try {
  const onlyServers = values.servers?.split(',');
  for (const key of values.only ? [values.only] : ['wsgi', 'asgi']) measured.push(await measureRow(key, onlyServers));
} finally {
  for (const srv of started) await srv.stop();
  L.closeLogs();
  await fileServer.close();
  L.removeAll([work]);
}

// ---------------------------------------------------------------- report

const ratio = (a, b) => L.round(a / b, 2);
const x = (r) => `${r.toFixed(2)}x`;

/** The swept configuration with the most req/s on `route`; none when --configs left no sweep. */
const bestSwept = (section, route) =>
  section.results.filter((r) => r.kind === 'sweep').reduce((a, b) => (a && a.routes[route].rps >= b.routes[route].rps ? a : b), undefined);

/**
 * One setting for every route: for web and each swept setting, its req/s (and p99) on its worst route
 * against the best swept on that route. A default is one setting, so "≥ 0.95× the best swept on each
 * route" can be out of reach of every setting when the routes want opposite settings; this says how
 * close the best single swept setting comes, against web.
 */
function oneSetting(section, routes) {
  const worst = (r) => ({
    name: r.name,
    rps: Math.min(...routes.map((route) => r.routes[route].rps / bestSwept(section, route).routes[route].rps)),
    p99: Math.max(...routes.map((route) => r.routes[route].p99ms / bestSwept(section, route).routes[route].p99ms)),
  });
  const swept = section.results.filter((r) => r.kind === 'sweep').map(worst);
  if (!swept.length) return undefined;
  const pick = (better) => swept.reduce((a, b) => (better(a, b) ? a : b));
  return {
    web: worst(section.results.find((r) => r.kind === 'web')),
    rps: pick((a, b) => a.rps >= b.rps),
    p99: pick((a, b) => a.p99 <= b.p99),
  };
}

/** The section's targets: one row each, per route where it applies; then the first 200's shares. */
function targetsOf(section, routes) {
  const by = (kind) => section.results.filter((r) => r.kind === kind);
  const [web] = by('web');
  const [naive] = by('naive');
  const rows = [];
  const add = (target, wanted, value, met) => rows.push({ target, wanted, value, met });
  for (const route of routes) {
    const w = web.routes[route];
    const best = bestSwept(section, route);
    for (const peer of by('peer')) {
      const v = ratio(w.rps, peer.routes[route].rps);
      add(`${route}: web vs ${peer.name}`, `>= ${TARGETS.overPeers}x req/s`, x(v), v >= TARGETS.overPeers);
    }
    if (best) {
      const vBest = ratio(w.rps, best.routes[route].rps);
      add(`${route}: web vs best swept (${best.name})`, `>= ${TARGETS.overBest}x req/s`, x(vBest), vBest >= TARGETS.overBest);
      const vP99 = ratio(w.p99ms, best.routes[route].p99ms);
      add(`${route}: web p99 vs best swept's`, `<= ${TARGETS.p99OverBest}x`, `${x(vP99)} (${w.p99ms} ms)`, vP99 <= TARGETS.p99OverBest);
    }
    if (route === 'mixed') {
      const v = ratio(w.rps, naive.routes[route].rps);
      add(`${route}: web vs ${naive.name}`, `>= ${TARGETS.mixedOverNaive}x req/s`, x(v), v >= TARGETS.mixedOverNaive);
    }
  }
  const one = oneSetting(section, routes);
  if (one) {
    const v = ratio(one.web.rps, one.rps.rps);
    add(
      `all routes: web's worst vs the best one swept setting's worst (${one.rps.name}, ${x(one.rps.rps)} of the best)`,
      `>= ${TARGETS.overBest}x`,
      `${x(v)} (web ${x(one.web.rps)})`,
      v >= TARGETS.overBest,
    );
    const vP99 = ratio(one.web.p99, one.p99.p99);
    add(
      `all routes: web's worst p99 vs the best one swept setting's (${one.p99.name}, ${x(one.p99.p99)} of the best's)`,
      `<= ${TARGETS.p99OverBest}x`,
      `${x(vP99)} (web ${x(one.web.p99)})`,
      vP99 <= TARGETS.p99OverBest,
    );
  }
  const direct = section.results.find((r) => r.name === DIRECT);
  if (direct) {
    const first = firstRatio(web, direct);
    add(`first 200: web vs its argv run directly (the launcher's share)`, `<= ${TARGETS.firstOverNaive}x`, first.value, first.met);
  }
  // not targets: what one Python start costs any launcher written in Python, what web's adds to it, and
  // where the rest of web's first 200 over naive's goes
  const behind = section.results.find((r) => r.name === BEHIND_PYTHON);
  if (direct && behind) {
    add(
      `first 200: web argv behind one bare Python start vs run directly (one Python start's share)`,
      '(share)',
      firstRatio(behind, direct).value,
    );
    add(
      `first 200: web vs its argv behind one bare Python start (the launcher's work beyond it)`,
      '(share)',
      firstRatio(web, behind).value,
    );
    add(
      `first 200: web argv behind one bare Python start vs ${naive.name} (a launcher that only starts Python)`,
      '(share)',
      firstRatio(behind, naive).value,
    );
  }
  const pooled = section.results.find((r) => r.pooled);
  if (direct && pooled) {
    add(`first 200: web argv vs the same with naive's pool (the pool's share)`, '(share)', firstRatio(direct, pooled).value);
    add(`first 200: web argv with naive's pool vs naive (its other options' share)`, '(share)', firstRatio(pooled, naive).value);
  }
  const first = firstRatio(web, naive);
  add(`first 200: web vs ${naive.name}`, `<= ${TARGETS.firstOverNaive}x`, first.value, first.met);
  return rows;
}

const NOISE = 'inside the noise';

/** a's first 200 over b's, with the 90 % interval of that ratio and the target's verdict on it. */
function firstRatio(a, b) {
  const [low, high] = L.medianRatioInterval(a.firstOkRounds, b.firstOkRounds);
  const target = TARGETS.firstOverNaive;
  return {
    value: `${x(ratio(a.firstOkMs, b.firstOkMs))} (${a.firstOkMs} vs ${b.firstOkMs} ms; 90 % interval ${x(low)}-${x(high)})`,
    met: high <= target ? true : low > target ? false : NOISE,
  };
}

for (const { key, row, sections } of measured) {
  const routes = Object.keys(row.routes);
  const m = L.machine();
  console.log(`\nlaunch (${key}): ${row.title}`);
  console.log(
    `wrk -t${WRK_THREADS} -c${CONNECTIONS} -d${duration}s (after ${WARMUP_S}s warm-up) on 127.0.0.1: ${routes.map((r) => `${r} ${row.routes[r]}`).join(', ')}; median of ${rounds} rounds`,
  );
  console.log(`machine: ${m.cpus} CPUs shared by the server and wrk (${WRK_THREADS} threads), ${HOST_MIB} MiB, Node ${m.node}`);
  const report = [];
  for (const section of sections) {
    const [naive] = section.results.filter((r) => r.kind === 'naive');
    console.log(`\n== ${section.server} (load average ${section.loadAtStart} at start, ${section.loadAtEnd} at end)`);
    console.log(`web runs: ${section.webNote}\n  ${section.webArgv.join(' ')}\n`);
    const best = Object.fromEntries(routes.map((route) => [route, bestSwept(section, route)]));
    console.log(
      L.table(
        ['configuration', 'first 200 ms', ...routes.flatMap((r) => [`${r} req/s`, 'vs naive', 'p99 ms', 'CPU µs/req'])],
        section.results.map((r) => [
          `${r.kind === 'web' || r.kind === 'naive' ? '' : `${r.kind}: `}${r.name}`,
          r.firstOkMs,
          ...routes.flatMap((route) => [
            `${r.routes[route].rps}${best[route] === r ? '*' : ''}${r.routes[route].errors ? ` (${r.routes[route].errors} errors)` : ''}`,
            x(ratio(r.routes[route].rps, naive.routes[route].rps)),
            r.routes[route].p99ms,
            r.routes[route].cpuUsPerRequest,
          ]),
        ]),
      ),
    );
    console.log('(* best swept setting on the route)\n');
    const targets = targetsOf(section, routes);
    console.log(
      L.table(
        ['target', 'wanted', 'measured', ''],
        targets.map((t) => [t.target, t.wanted, t.value, t.met === undefined ? '' : t.met === NOISE ? NOISE : L.verdict(t.met)]),
      ),
    );
    report.push({ ...section, targets });
  }
  L.report(row.results, {
    benchmark: 'launch',
    app: row.title,
    machine: { ...m, mib: HOST_MIB },
    load: {
      tool: 'wrk',
      routes: row.routes,
      threads: WRK_THREADS,
      connections: CONNECTIONS,
      durationS: duration,
      warmupS: WARMUP_S,
      rounds,
    },
    peers: { s2iWebConcurrency: s2iConcurrency, herokuWebConcurrency: herokuConcurrency },
    sections: report,
  });
}
