// What a server's access log costs per request, for bench/waitress-log.mjs and bench/uvicorn-log.mjs:
// one app built once with pywarp (fixtures served on 127.0.0.1, scrubbed env), each configuration run
// by the image's venv Python on one of the layer's wrappers, in rounds whose order rotates. Two measures:
//  - instructions per request: valgrind's callgrind counts the user-space instructions of every
//    thread between two callgrind_control toggles around 960 requests on 32 keep-alive
//    connections (after 160 to warm up). The machine's load barely moves them (they still vary by
//    about ±3 % between runs: how the requests fall over the threads and the loop's turns); kernel
//    time (the line's write) is left out.
//  - CPU µs per request: the server's session from /proc around `wrk -t2 -c32` for S s (after 1 s).
//    On the shared 2 CPUs this moves by ±25 % between rounds.
// Needs wrk and valgrind (Debian's packages). Prints a table, then JSON (also bench/results/<name>.json).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import * as L from './lib.mjs';

const CONNECTIONS = 32;
const COUNTED = 30; // requests per connection between the toggles
const INSTRUCTION_ROUNDS = 3;
const tool = (name) => execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } }).trim();

/**
 * Measures `bench`: { name (of its results), prepare(dir) → the app's directory, configs (the first is
 * the reference: no access log), command(config, port, ctx) → { file, args, env } }; ctx has app, venv,
 * launcherDir and env (the image's, as `web` gets it). Reads --rounds, --duration and --no-bundle.
 */
export async function measureLogCost(bench) {
  const { values } = parseArgs({
    options: { rounds: { type: 'string', default: '6' }, duration: { type: 'string', default: '3' }, 'no-bundle': { type: 'boolean' } },
  });
  const rounds = Number(values.rounds);
  const duration = Number(values.duration);
  const [wrk, valgrind, callgrindControl] = ['wrk', 'valgrind', 'callgrind_control'].map(tool);
  L.bundle();
  const fixtures = L.findFixtures();
  const fileServer = await L.startFileServer(fixtures.dir);
  const work = L.tempDir(`pywarp-bench-${bench.name}-`);
  const home = join(work, 'home');
  const started = [];

  async function start(file, args, ctx, logName) {
    const port = await L.freePort();
    const srv = L.startServer(file, args(port), { cwd: ctx.app, env: ctx.env, logFile: join(work, logName) });
    started.push(srv);
    let exited = false;
    srv.exited.then(() => (exited = true));
    await L.waitFor200(`http://127.0.0.1:${port}/`, process.hrtime.bigint(), { timeoutMs: 120_000, alive: () => !exited });
    return { srv, port };
  }

  async function instructionsPerRequest(config, ctx, n) {
    const out = join(work, `callgrind-${n}`);
    mkdirSync(out);
    const { file } = bench.command(config, 0, ctx);
    const { srv, port } = await start(
      valgrind,
      (p) => [
        '--tool=callgrind',
        '--instr-atstart=no',
        `--callgrind-out-file=${out}/cg.%p.out`,
        file,
        ...bench.command(config, p, ctx).args,
      ],
      ctx,
      `callgrind-${n}.log`,
    );
    try {
      await requests(port, 5);
      const control = (...a) =>
        execFileSync(callgrindControl, [...a, String(srv.pid)], { env: { PATH: '/usr/bin:/bin' }, stdio: 'ignore' });
      control('-i', 'on');
      await requests(port, COUNTED);
      control('-i', 'off');
      control('-d');
      const dump = readdirSync(out).find((f) => /\.out\.\d+$/.test(f));
      const totals = Number(/^totals: (\d+)/m.exec(readFileSync(join(out, dump), 'utf8'))?.[1]);
      return Math.round(totals / (CONNECTIONS * COUNTED));
    } finally {
      await srv.stop();
    }
  }

  async function cpuPerRequest(config, ctx, n) {
    const { srv, port } = await start(bench.command(config, 0, ctx).file, (p) => bench.command(config, p, ctx).args, ctx, `cpu-${n}.log`);
    try {
      const url = `http://127.0.0.1:${port}/`;
      const bound = { env: { PATH: '/usr/bin:/bin' }, timeoutMs: (duration + 30) * 1000 };
      await L.runOk(wrk, ['-t2', `-c${CONNECTIONS}`, '-d1s', url], bound);
      const before = L.sessionCpuMs(srv.pid);
      const load = await L.runOk(wrk, ['-t2', `-c${CONNECTIONS}`, `-d${duration}s`, url], bound);
      const cpuMs = L.sessionCpuMs(srv.pid) - before;
      const served = Number(/(\d+) requests in/.exec(load.output)?.[1]);
      return { us: Math.round((cpuMs * 1000) / served), load: L.loadavg() };
    } finally {
      await srv.stop();
    }
  }

  const { configs } = bench;
  const samples = new Map(configs.map((c) => [c.name, { instructions: [], cpu: [] }]));
  try {
    const root = join(work, 'row');
    const app = bench.prepare(join(root, 'app'));
    const buildpack = L.makeTestBuildpack(join(root, 'buildpack'), fixtures, fileServer.url);
    const built = await L.pywarpBuild({ app, buildpack, root: join(root, 'image'), home, serverUrl: fileServer.url });
    if (built.code !== 0) throw new Error(`pywarp build exited ${built.code}:\n${L.tailOf(built.output, 40)}`);
    const layers = join(root, 'image', 'layers');
    const web = L.imageProcess(layers, 'web', L.scrubbedEnv(home, { PYWARP_HOST: '127.0.0.1' }));
    const launch = [web.file, ...web.args].find((a) => a.endsWith('pywarp_launch.py'));
    if (!launch) throw new Error(`web does not start pywarp_launch.py: ${web.file} ${web.args.join(' ')}`);
    const ctx = { app, venv: join(layers, 'pywarp_python', 'venv'), launcherDir: dirname(launch), env: web.env };
    let n = 0;
    for (let r = 0; r < rounds; r++) {
      for (const config of configs.map((_, i) => configs[(i + r) % configs.length])) {
        const s = samples.get(config.name);
        // callgrind runs some 50x slower: its figure does not move with the load, a few rounds are enough
        const instructions = r < INSTRUCTION_ROUNDS ? await instructionsPerRequest(config, ctx, ++n) : undefined;
        if (instructions !== undefined) s.instructions.push(instructions);
        s.cpu.push(await cpuPerRequest(config, ctx, ++n));
        process.stderr.write(`[round ${r + 1}/${rounds}] ${config.name}: ${instructions ?? '-'} instr/req, ${s.cpu.at(-1).us} µs/req\n`);
      }
    }
  } finally {
    for (const srv of started) await srv.stop();
    L.closeLogs();
    await fileServer.close();
    L.removeAll([work]);
  }

  const base = samples.get(configs[0].name);
  const results = configs.map((c) => {
    const s = samples.get(c.name);
    const instructions = Math.round(L.median(s.instructions));
    const cpuUs = Math.round(L.median(s.cpu.map((x) => x.us)));
    const paired = s.cpu.map((x, i) => x.us / base.cpu[i].us);
    return {
      name: c.name,
      instructionsPerRequest: instructions,
      instructionsOverNoLog: L.round(instructions / L.median(base.instructions), 3),
      cpuUsPerRequest: cpuUs,
      cpuOverNoLogPaired: L.round(L.median(paired), 3),
      rounds: s.cpu.map((x, i) => ({ us: x.us, load: x.load, overNoLog: L.round(paired[i], 3) })),
      instructionRuns: s.instructions,
    };
  });
  console.log(
    L.table(
      ['configuration', 'instr/request', 'vs no log', 'CPU µs/request (median)', 'vs no log (median of rounds)'],
      results.map((r) => [r.name, r.instructionsPerRequest, `${r.instructionsOverNoLog}x`, r.cpuUsPerRequest, `${r.cpuOverNoLogPaired}x`]),
    ),
  );
  L.report(bench.name, { machine: L.machine(), rounds, duration, results });
}

/** `perConnection` GETs / on each of CONNECTIONS keep-alive connections; throws unless all are 200. */
async function requests(port, perConnection) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const one = () =>
    new Promise((ok, fail) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/', agent, timeout: 60_000 }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? ok() : fail(new Error(`status ${res.statusCode}`))));
      });
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', fail);
    });
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      for (let i = 0; i < perConnection; i++) await one();
    }),
  );
  agent.destroy();
}
