// Launch time and throughput of pywarp's `web` process against plain gunicorn (WSGI) and
// plain uvicorn (ASGI), same run.
//   node bench/launch.mjs [--only wsgi|asgi] [--rounds N] [--duration S] [--sleep-ms MS] [--no-bundle]
// Needs wrk (Debian's `wrk` package); installs it with apt-get when it is missing.
// Builds a copy of samples/warpdrive-flask without mod_wsgi (Flask + gunicorn, wsgi.py), so
// `web` runs gunicorn with pywarp's defaults, then for every configuration below, in rounds
// whose order rotates: starts it in its own process group on 127.0.0.1, measures the time
// from spawn to the first 200 (bounded poll), loads it with `wrk -t2 -c32 -dS --latency`
// (bounded), and stops the group.
//   web          `pywarp launch` (node CLI + Python launcher + gunicorn, pywarp's settings)
//   naive        <venv>/bin/gunicorn --bind 127.0.0.1:PORT wsgi:application (cwd = app)
//   -w W -t T    the naive command plus --workers W --threads T, W in 1 2 4 8, T in 1 4
//   web argv, no access log   web's own argv run directly minus `--access-logfile -`
//                (a diagnostic: what the access log costs)
// The ASGI row does the same with a copy of samples/fastapi (FastAPI's hello route, JSON):
//   web          `pywarp launch` (uvicorn, pywarp's settings)
//   naive        <venv>/bin/uvicorn --host 127.0.0.1 --port PORT main:app (no other option)
//   --workers W  the naive command plus --workers W, W in 1 2 4 8 (uvicorn's own supervisor: from
//                2 workers up, without TCP_NODELAY, see layers/launcher/pywarp_uvicorn.py)
//   web argv, …  diagnostics: web's argv run directly, without the launcher; also without the
//                access log; also with one worker
// --only runs one of the two rows; both run by default, each built and measured on its own.
// All use the same venv (pywarp's venv layer). The machine's CPUs are shared by the server
// AND wrk (2 threads): on a 2-CPU machine wrk takes about one of them, so every figure is
// a loopback, CPU-bound, hello-world number — compare the ratios, not the absolutes.
// --sleep-ms MS adds a route /io to the copy's wsgi.py that sleeps MS ms (an app waiting on
// a database, say) and loads that instead of /: threads and processes then matter even on
// 2 CPUs; the ASGI row loads the sample's /slow?seconds=MS/1000 (an asyncio.sleep) instead.
// Its JSON goes to bench/results/launch-io.json (launch-asgi-io.json), so the default run's is kept.
// Prints a table, then JSON (also bench/results/launch.json, launch-asgi.json). Exits 0 when a
// target is missed: the table says MISSED. Not part of the tests.
import { execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as L from './lib.mjs';

const TARGETS = { webOverNaive: 1.5, webOverBest: 0.95 };
const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '6' },
    'sleep-ms': { type: 'string', default: '0' },
    'no-bundle': { type: 'boolean' },
  },
});
if (values.only !== undefined && !['wsgi', 'asgi'].includes(values.only)) throw new Error(`--only takes wsgi or asgi, not ${values.only}`);
const rounds = Number(values.rounds);
const duration = Number(values.duration);
const sleepMs = Number(values['sleep-ms']);
const WARMUP_S = 1;
const CONNECTIONS = 32;
const WRK_THREADS = 2;

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

const wrk = ensureWrk();
L.bundle();
const fixtures = L.findFixtures();
const fileServer = await L.startFileServer(fixtures.dir);
const work = L.tempDir('pywarp-bench-launch-');
const home = join(work, 'home');
const started = [];

/** Starts `config` in `app`, times the first 200, loads `loadPath` with wrk, stops it. */
async function measure(config, app, loadPath, logName) {
  const port = await L.freePort();
  const { file, args, env } = config.command(port);
  const logFile = join(work, `${logName}.log`);
  const since = process.hrtime.bigint();
  const srv = L.startServer(file, args, { cwd: app, env, logFile });
  started.push(srv);
  let exited = false;
  srv.exited.then(() => {
    exited = true;
  });
  try {
    const firstOkMs = await L.waitFor200(`http://127.0.0.1:${port}/`, since, { timeoutMs: 30_000, alive: () => !exited });
    const url = `http://127.0.0.1:${port}${loadPath}`;
    const bound = { env: { PATH: '/usr/bin:/bin' }, timeoutMs: (duration + WARMUP_S + 30) * 1000 };
    await L.runOk(wrk, ['-t', String(WRK_THREADS), '-c', String(CONNECTIONS), '-d', `${WARMUP_S}s`, url], bound);
    const load = await L.runOk(
      wrk,
      ['-t', String(WRK_THREADS), '-c', String(CONNECTIONS), '-d', `${duration}s`, '--timeout', '5s', '--latency', url],
      bound,
    );
    // the 1-minute load average as the load ended: how busy the shared machine was
    return { firstOkMs, ...parseWrk(load.output), load: L.loadavg(), log: srv.log() };
  } catch (err) {
    throw new Error(`${config.name}: ${err.message}\n--- server log ---\n${L.tailOf(srv.log())}`);
  } finally {
    await srv.stop();
  }
}

const launchEnv = (port) => L.scrubbedEnv(home, { PORT: String(port), PYWARP_HOST: '127.0.0.1' });
const inVenv = (venv, script, args) => ({ file: join(venv, 'bin', script), args, env: L.scrubbedEnv(home) });

// What differs between the rows: the app, its naive start, the sweep and the diagnostics.
const ROWS = {
  wsgi: {
    title: 'warpdrive-flask (Flask + gunicorn 20.1.0)',
    app: 'warpdrive-flask without mod_wsgi',
    results: 'launch',
    prepare(dir) {
      const app = L.copySample('warpdrive-flask', dir, { omitRequirements: ['mod_wsgi'] });
      if (sleepMs > 0) {
        appendFileSync(
          join(app, 'wsgi.py'),
          `\n\nimport time as _bench_time\n\n\n@application.route("/io")\ndef _bench_io():\n    _bench_time.sleep(${sleepMs / 1000})\n    return "slept\\n"\n`,
        );
      }
      return { app, loadPath: sleepMs > 0 ? '/io' : '/' };
    },
    naiveName: 'naive gunicorn',
    configs(venv, webArgv) {
      const gunicorn = (extra) => (port) => inVenv(venv, 'gunicorn', ['--bind', `127.0.0.1:${port}`, ...extra, 'wsgi:application']);
      const withoutAccessLog = [];
      for (let i = 0; i < webArgv.length; i++) {
        if (webArgv[i] === '--access-logfile') {
          i++;
          continue;
        }
        withoutAccessLog.push(webArgv[i]);
      }
      return [
        { name: 'naive gunicorn', kind: 'naive', command: gunicorn([]) },
        ...[1, 2, 4, 8].flatMap((w) =>
          [1, 4].map((t) => ({
            name: `gunicorn -w ${w} --threads ${t}`,
            kind: 'sweep',
            workers: w,
            threads: t,
            command: gunicorn(['--workers', String(w), '--threads', String(t)]),
          })),
        ),
        {
          name: 'web argv, no access log',
          kind: 'diagnostic',
          command: (port) => ({
            file: withoutAccessLog[0],
            args: withoutAccessLog.slice(1).map((a) => a.replace(/^127\.0\.0\.1:\d+$/, `127.0.0.1:${port}`)),
            env: L.scrubbedEnv(home),
          }),
        },
      ];
    },
  },
  asgi: {
    title: 'samples/fastapi (FastAPI hello route, JSON)',
    app: 'samples/fastapi',
    results: 'launch-asgi',
    prepare(dir) {
      return { app: L.copySample('fastapi', dir), loadPath: sleepMs > 0 ? `/slow?seconds=${sleepMs / 1000}` : '/' };
    },
    naiveName: 'naive uvicorn',
    configs(venv, webArgv) {
      const uvicorn = (extra) => (port) => inVenv(venv, 'uvicorn', ['--host', '127.0.0.1', '--port', String(port), ...extra, 'main:app']);
      // web's own argv (pywarp_uvicorn.py and its options) without the launcher, on another port
      const webDirect = (extra) => (port) => {
        const args = webArgv.slice(1).map((a, i, all) => (all[i - 1] === '--port' ? String(port) : a));
        return { file: webArgv[0], args: [...args.slice(0, -1), ...extra, args.at(-1)], env: L.scrubbedEnv(home) };
      };
      return [
        { name: 'naive uvicorn', kind: 'naive', command: uvicorn([]) },
        ...[1, 2, 4, 8].map((w) => ({
          name: `uvicorn --workers ${w}`,
          kind: 'sweep',
          workers: w,
          command: uvicorn(['--workers', String(w)]),
        })),
        // diagnostics: what the launcher, the access log and one process per CPU cost
        { name: 'web argv, no launcher', kind: 'diagnostic', command: webDirect([]) },
        { name: 'web argv, no access log', kind: 'diagnostic', command: webDirect(['--no-access-log']) },
        { name: 'web argv, --workers 1', kind: 'diagnostic', command: webDirect(['--workers', '1']) },
      ];
    },
  },
};

/** Builds the row's app with pywarp, then measures `web` and the row's configurations in rotating rounds. */
async function measureRow(key) {
  const row = ROWS[key];
  const loadAtStart = L.loadavg();
  const root = join(work, key);
  const layers = join(root, 'image', 'layers');
  const { app, loadPath } = row.prepare(join(root, 'app'));
  const buildpack = L.makeTestBuildpack(join(root, 'buildpack'), fixtures, fileServer.url);
  const built = await L.pywarpBuild({ app, buildpack, root: join(root, 'image'), home, serverUrl: fileServer.url });
  if (built.code !== 0) throw new Error(`pywarp build exited ${built.code}:\n${L.tailOf(built.output, 40)}`);

  const web = {
    name: 'web (pywarp)',
    kind: 'web',
    command: (port) => ({ file: process.execPath, args: [L.cli, 'launch', app, '--layers', layers], env: launchEnv(port) }),
  };
  // A first start, not measured: warms the page cache and tells what `web` runs.
  const probe = await measureProbe(web, app, key);
  const configs = [web, ...row.configs(join(layers, 'pywarp_python', 'venv'), probe.argv)];
  const samples = new Map(configs.map((c) => [c.name, []]));
  const total = rounds * configs.length;
  let n = 0;
  for (let r = 0; r < rounds; r++) {
    // rotate the order so that no configuration always runs at the same point
    const order = configs.map((_, i) => configs[(i + r * Math.ceil(configs.length / rounds)) % configs.length]);
    for (const config of order) {
      const m = await measure(config, app, loadPath, `${key}-${config.kind}-${r}-${samples.get(config.name).length}`);
      delete m.log;
      samples.get(config.name).push(m);
      process.stderr.write(
        `[${key} ${++n}/${total}] ${config.name}: ${Math.round(m.rps)} req/s, p99 ${L.round(m.p99ms)} ms, first 200 after ${Math.round(m.firstOkMs)} ms\n`,
      );
    }
  }
  const results = configs.map((c) => {
    const s = samples.get(c.name);
    return {
      name: c.name,
      kind: c.kind,
      workers: c.workers,
      threads: c.threads,
      rps: Math.round(L.median(s.map((x) => x.rps))),
      p50ms: L.round(L.median(s.map((x) => x.p50ms)), 2),
      p99ms: L.round(L.median(s.map((x) => x.p99ms)), 2),
      firstOkMs: Math.round(L.median(s.map((x) => x.firstOkMs))),
      errors: s.reduce((a, x) => a + x.errors, 0),
      rounds: s.map((x) => ({
        rps: Math.round(x.rps),
        p99ms: L.round(x.p99ms, 2),
        firstOkMs: Math.round(x.firstOkMs),
        errors: x.errors,
        load: x.load,
      })),
    };
  });
  return { row, loadPath, webNote: probe.note, webArgv: probe.argv, results, loadAtStart, loadAtEnd: L.loadavg() };
}

const measured = [];
try {
  for (const key of values.only ? [values.only] : ['wsgi', 'asgi']) measured.push(await measureRow(key));
} finally {
  for (const srv of started) await srv.stop();
  L.closeLogs();
  await fileServer.close();
  L.removeAll([work]);
}

/** The first start of `web`: what the launcher says it runs (its stderr line). */
async function measureProbe(config, app, key) {
  const port = await L.freePort();
  const { file, args, env } = config.command(port);
  const logFile = join(work, `${key}-probe.log`);
  const srv = L.startServer(file, args, { cwd: app, env, logFile });
  started.push(srv);
  try {
    await L.waitFor200(`http://127.0.0.1:${port}/`, process.hrtime.bigint(), { timeoutMs: 60_000 });
  } finally {
    await srv.stop();
  }
  const line = /^pywarp: starting (.*?): (\/.*)$/m.exec(readFileSync(logFile, 'utf8'));
  if (!line) throw new Error(`the launcher did not say what it starts:\n${L.tailOf(readFileSync(logFile, 'utf8'))}`);
  return { note: line[1], argv: shellSplit(line[2]) };
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

// ---------------------------------------------------------------- report

const ratio = (a, b) => L.round(a / b, 2);
for (const { row, loadPath, webNote, webArgv, results, loadAtStart, loadAtEnd } of measured) {
  const by = (kind) => results.filter((r) => r.kind === kind);
  const web = by('web')[0];
  const naive = by('naive')[0];
  const best = by('sweep').reduce((a, b) => (b.rps > a.rps ? b : a));
  const targets = {
    webOverNaive: {
      target: `>= ${TARGETS.webOverNaive}x naive req/s`,
      value: ratio(web.rps, naive.rps),
      met: web.rps / naive.rps >= TARGETS.webOverNaive,
    },
    webOverBest: {
      target: `>= ${TARGETS.webOverBest}x best swept req/s (${best.name})`,
      value: ratio(web.rps, best.rps),
      met: web.rps / best.rps >= TARGETS.webOverBest,
    },
  };
  // the load when this row started and ended, not when the script did
  const m = { ...L.machine(), loadAtStart, loadAtEnd };
  console.log(
    `\nlaunch: ${row.title}, wrk -t${WRK_THREADS} -c${CONNECTIONS} -d${duration}s on 127.0.0.1${loadPath}${sleepMs ? ` (sleeps ${sleepMs} ms)` : ''}, median of ${rounds} rounds`,
  );
  console.log(
    `machine: ${m.cpus} CPUs shared by the server and wrk (${WRK_THREADS} threads); load average ${m.loadAtStart} at start, ${m.loadAtEnd} at end`,
  );
  console.log(`web runs: ${webNote}\n  ${webArgv.join(' ')}\n`);
  console.log(
    L.table(
      ['configuration', 'req/s', 'vs naive', 'p50 ms', 'p99 ms', 'first 200 ms', 'errors', 'req/s per round'],
      results.map((r) => [
        r.name + (r === best ? ' (best swept)' : ''),
        r.rps,
        `${ratio(r.rps, naive.rps).toFixed(2)}x`,
        r.p50ms,
        r.p99ms,
        r.firstOkMs,
        r.errors,
        r.rounds.map((x) => x.rps).join(' '),
      ]),
    ),
  );
  console.log(
    `\nweb / naive: ${ratio(web.rps, naive.rps)}x req/s, p99 ${ratio(web.p99ms, naive.p99ms)}x, first 200 ${ratio(web.firstOkMs, naive.firstOkMs)}x`,
  );
  console.log(`web / best swept (${best.name}): ${ratio(web.rps, best.rps)}x req/s, p99 ${ratio(web.p99ms, best.p99ms)}x\n`);
  console.log('targets');
  console.log(
    L.table(
      ['target', 'wanted', 'measured', ''],
      [
        [`web vs ${row.naiveName}`, targets.webOverNaive.target, `${targets.webOverNaive.value}x`, L.verdict(targets.webOverNaive.met)],
        ['web vs best swept setting', targets.webOverBest.target, `${targets.webOverBest.value}x`, L.verdict(targets.webOverBest.met)],
      ],
    ),
  );
  L.report(sleepMs > 0 ? `${row.results}-io` : row.results, {
    benchmark: 'launch',
    app: `${row.app}${sleepMs ? `, loading ${loadPath} (sleeps ${sleepMs} ms)` : ''}`,
    machine: m,
    load: { tool: 'wrk', path: loadPath, threads: WRK_THREADS, connections: CONNECTIONS, durationS: duration, warmupS: WARMUP_S, rounds },
    web: { note: webNote, argv: webArgv },
    targets,
    ratios: {
      webOverNaiveRps: ratio(web.rps, naive.rps),
      webOverBestRps: ratio(web.rps, best.rps),
      webOverNaiveP99: ratio(web.p99ms, naive.p99ms),
      webOverNaiveFirst200: ratio(web.firstOkMs, naive.firstOkMs),
      best: best.name,
    },
    results,
  });
}
