// Shared by bench/build.mjs, bench/launch.mjs and bench/size.mjs (bench/detect.mjs keeps its
// own code): the fixtures and a static server for them on 127.0.0.1, a scrubbed environment,
// a test copy of the buildpack, pywarp build/launch, timing, process groups and tables.
// Plain Node (no tsx): everything the buildpack does runs in child processes.
import { spawn, execFileSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  cpSync,
  createReadStream,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import TOML from '@iarna/toml';

export const repo = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
export const cli = join(repo, 'dist', 'pywarp.js');
export const TARBALL = 'cpython-3.11-debian-bookworm-x86_64.tgz';
const BUILD_TIMEOUT_MS = 300_000;

// ---------------------------------------------------------------- fixtures

/** The newest complete set in .cache/fixtures (by its COMPLETE marker), else the shared prebuilt one. */
export function findFixtures() {
  const cache = join(repo, '.cache', 'fixtures');
  const complete = existsSync(cache)
    ? readdirSync(cache)
        .map((name) => join(cache, name))
        .filter((dir) => existsSync(join(dir, 'COMPLETE')) && existsSync(join(dir, 'dist', TARBALL)))
        .sort((a, b) => statSync(join(b, 'COMPLETE')).mtimeMs - statSync(join(a, 'COMPLETE')).mtimeMs)
    : [];
  const dir = complete[0] ?? join(repo, '..', 'shared', 'test-fixtures', 'prebuilt');
  const tarball = join(dir, 'dist', TARBALL);
  if (!existsSync(tarball)) throw new Error(`no fixtures: nothing complete in ${cache} and no ${tarball} (run \`npm run fixtures\`)`);
  const sha256 = /^[0-9a-f]{64}\b/.exec(readFileSync(`${tarball}.sha256`, 'utf8'))?.[0];
  if (!sha256) throw new Error(`no sha256 in ${tarball}.sha256`);
  // MANIFEST lists the .deb versions, e.g. "python3.11 3.11.2-6+deb12u9": upstream is before the Debian revision
  const version = /^python3\.11 (?:\d+:)?(\d+(?:\.\d+)+)/m.exec(readFileSync(join(dir, 'MANIFEST.txt'), 'utf8'))?.[1];
  if (!version) throw new Error(`no python3.11 package version in ${join(dir, 'MANIFEST.txt')}`);
  return { dir, tarball, sha256, version, wheelhouse: join(dir, 'wheelhouse') };
}

/**
 * Static files of `root` on 127.0.0.1 with PyPI's caching headers (release files immutable
 * for a year, index pages ten minutes), so pip's HTTP cache behaves as against a real index.
 */
export async function startFileServer(root) {
  const realRoot = realpathSync(root);
  const types = { '.html': 'text/html; charset=utf-8', '.tgz': 'application/gzip', '.whl': 'application/zip' };
  const requests = [];
  const server = createServer((req, res) => {
    const rawPath = new URL(req.url ?? '/', 'http://x').pathname;
    let file;
    try {
      const path = decodeURIComponent(rawPath);
      requests.push(path);
      file = realpathSync(join(realRoot, path));
      if (file !== realRoot && !file.startsWith(realRoot + sep)) file = undefined;
      else if (statSync(file).isDirectory()) {
        if (!rawPath.endsWith('/')) return void res.writeHead(301, { Location: `${rawPath}/` }).end();
        file = join(file, 'index.html');
      }
      if (file && !statSync(file).isFile()) file = undefined;
    } catch {
      file = undefined;
    }
    if (!file) return void res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
    res.writeHead(200, {
      'Content-Type': types[extname(file)] ?? 'application/octet-stream',
      'Content-Length': statSync(file).size,
      'Cache-Control': file.endsWith('.html') ? 'max-age=600, public' : 'max-age=31536000, immutable, public',
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}

// ---------------------------------------------------------------- environment

/** Nothing inherited: no pyenv on PATH, a temp HOME, no pip config, no PIP_* but what is given. */
export function scrubbedEnv(home, extra = {}) {
  return {
    PATH: `${dirname(process.execPath)}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
    HOME: home,
    LANG: 'C.UTF-8',
    PIP_CONFIG_FILE: '/dev/null',
    TMPDIR: '/tmp',
    ...extra,
  };
}

/** pip settings for the fixture index: the same for pywarp (as -e) and for the hand-written runs. */
export function pipSettings(serverUrl) {
  return {
    PIP_CONFIG_FILE: '/dev/null',
    PIP_TRUSTED_HOST: '127.0.0.1',
    PIP_INDEX_URL: `${serverUrl}/wheelhouse/simple/`,
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
  };
}

// What an interrupted run (Ctrl-C, SIGTERM) must not leave behind: every child runs in its
// own process group (so a terminal's Ctrl-C does not reach it), and the temp dirs.
const liveGroups = new Set();
const tempDirs = new Set();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
    console.error(`\ninterrupted by ${signal}: stopped ${liveGroups.size} process group(s), removed the temp dirs`);
    process.exit(130);
  });
}

/** A temp dir the unprivileged launch user could traverse too; removed by the caller (or on interrupt). */
export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  tempDirs.add(dir);
  return dir;
}

/** Copies samples/<name> (builds write into the app) into `dest`, leaving out `omit` requirement lines. */
export function copySample(name, dest, { omitRequirements = [] } = {}) {
  cpSync(join(repo, 'samples', name), dest, { recursive: true });
  const req = join(dest, 'requirements.txt');
  if (omitRequirements.length && existsSync(req)) {
    const drop = new Set(omitRequirements.map((r) => r.toLowerCase()));
    const kept = readFileSync(req, 'utf8')
      .split('\n')
      .filter((l) => !drop.has(l.trim().toLowerCase()));
    writeFileSync(req, kept.join('\n'));
  }
  return dest;
}

/** Bundles dist/ from the current tree, as bench/detect.mjs does; `--no-bundle` keeps the existing one. */
export function bundle(argv = process.argv) {
  if (argv.includes('--no-bundle')) {
    if (!existsSync(cli)) throw new Error(`${cli} is missing; run without --no-bundle`);
    return;
  }
  execFileSync(process.execPath, [join(repo, 'scripts', 'bundle.mjs')], { cwd: repo, stdio: 'inherit' });
}

/**
 * A copy of this buildpack (bin/, dist/, layers/ linked to the repo) whose dependency table
 * lists only the fixture CPython on the fixture server, like test/support/test-buildpack.ts.
 */
export function makeTestBuildpack(dir, fixtures, serverUrl, defaultServer = 'gunicorn==20.1.0') {
  mkdirSync(dir, { recursive: true });
  for (const name of ['bin', 'dist', 'layers']) symlinkSync(join(repo, name), join(dir, name));
  const descriptor = TOML.parse(readFileSync(join(repo, 'buildpack.toml'), 'utf8'));
  descriptor.metadata['default-server'] = defaultServer;
  descriptor.metadata.dependencies = [
    {
      id: 'cpython',
      name: 'CPython',
      version: fixtures.version,
      arch: 'amd64',
      uri: `${serverUrl}/dist/${TARBALL}`,
      sha256: fixtures.sha256,
      'strip-components': 0,
      source: 'test fixture',
    },
  ];
  writeFileSync(join(dir, 'buildpack.toml'), TOML.stringify(descriptor));
  return dir;
}

// ---------------------------------------------------------------- processes

// bash's `times` after the command: the user and system CPU of every process it waited for
const CPU_MARK = '@@cpu-times@@';
const CPU_WRAPPER = `"$@"; rc=$?; echo ${CPU_MARK} >&2; times >&2; exit $rc`;
const seconds = (t) => {
  const m = /^(\d+)m([\d.]+)s$/.exec(t);
  return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
};

/** The output without the `times` lines CPU_WRAPPER appended, and the CPU ms they give for the command's processes. */
function splitCpuTimes(output) {
  const at = output.lastIndexOf(`${CPU_MARK}\n`);
  if (at < 0) return { output };
  const [, children = ''] = output.slice(at + CPU_MARK.length + 1).split('\n');
  const [user, system] = children.trim().split(/\s+/).map(seconds);
  return { output: output.slice(0, at), cpuMs: (user + system) * 1000 };
}

/**
 * Runs a command to completion without blocking the event loop (the fixture server lives in
 * this process), killed with its process group after `timeoutMs`. Resolves with its time and output,
 * and with `cpu`, cpuMs: the user + system CPU time of the command and every process it waited for
 * (measured by bash's `times`; unlike the wall time, barely changed by other work on the machine).
 */
export function run(file, args, { cwd, env, timeoutMs = BUILD_TIMEOUT_MS, cpu = false } = {}) {
  if (cpu) [file, args] = ['/bin/bash', ['-c', CPU_WRAPPER, '--', file, ...args]];
  return new Promise((ok, fail) => {
    const started = process.hrtime.bigint();
    const child = spawn(file, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    if (child.pid) liveGroups.add(child.pid);
    const chunks = [];
    // when each chunk arrived, to split a build's time by the sections of its log
    const times = [];
    const onData = (c) => {
      chunks.push(c);
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      fail(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // the group may outlive its leader (a daemonized grandchild): end it with the command
      killGroup(child.pid, 'SIGKILL');
      liveGroups.delete(child.pid);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const { output, cpuMs } = splitCpuTimes(Buffer.concat(chunks).toString('utf8'));
      if (timedOut) return fail(new Error(`${file} ${args.join(' ')}: timed out after ${timeoutMs} ms\n${tailOf(output)}`));
      const all = chunks.flatMap((c, i) =>
        c
          .toString('utf8')
          .split('\n')
          .filter(Boolean)
          .map((text) => ({ at: times[i], text })),
      );
      const mark = all.findLastIndex((l) => l.text === CPU_MARK);
      const lines = cpuMs === undefined || mark < 0 ? all : all.slice(0, mark);
      ok({ ms, code: code ?? 128, signal, output, lines, ...(cpuMs === undefined ? {} : { cpuMs }) });
    });
  });
}

/** Like run(), but a non-zero exit is an error. */
export async function runOk(file, args, opts) {
  const r = await run(file, args, opts);
  if (r.code !== 0) throw new Error(`${file} ${args.join(' ')} exited ${r.code}:\n${tailOf(r.output)}`);
  return r;
}

export const tailOf = (text, lines = 25) => text.trimEnd().split('\n').slice(-lines).join('\n');

/** Signals the whole process group whose leader is `pid` (started with detached: true). */
export function killGroup(pid, signal = 'SIGTERM') {
  try {
    process.kill(-pid, signal);
  } catch (err) {
    if (err.code !== 'ESRCH') throw err;
  }
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts a long-running server in its own process group with its output in `logFile` (stderr in `stderrFile` if given).
 * stop() sends SIGTERM to the group, waits (bounded), then SIGKILLs the group.
 */
export function startServer(file, args, { cwd, env, logFile, stderrFile }) {
  const fd = openLog(logFile);
  // mod_wsgi-express reopens /dev/stdout with O_TRUNC: what must survive goes to stderrFile
  const errFd = stderrFile ? openLog(stderrFile) : fd;
  const child = spawn(file, args, { cwd, env, stdio: ['ignore', fd, errFd], detached: true });
  if (child.pid) liveGroups.add(child.pid);
  const exited = new Promise((ok) => child.on('close', (code, signal) => ok({ code, signal })));
  let stopped = false;
  child.on('error', () => {});
  return {
    pid: child.pid,
    exited,
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    async stop(graceMs = 10_000) {
      if (stopped) return;
      stopped = true;
      killGroup(child.pid, 'SIGTERM');
      const deadline = Date.now() + graceMs;
      while (groupAlive(child.pid) && Date.now() < deadline) await sleep(50);
      if (groupAlive(child.pid)) killGroup(child.pid, 'SIGKILL');
      await Promise.race([exited, sleep(2000)]);
      liveGroups.delete(child.pid);
    },
  };
}

const openFds = [];
function openLog(path) {
  // appending: a server that opens /dev/stdout itself (Apache) gets its own offset, and would overwrite
  const fd = openSync(path, 'a');
  openFds.push(fd);
  return fd;
}

/** Closes this process's copies of the servers' log files. */
export function closeLogs() {
  while (openFds.length) closeSync(openFds.pop());
}

// ---------------------------------------------------------------- pywarp

/** `pywarp build` into root/{layers,cache,platform} with the fixture index; resolves {ms, code, output} (and cpuMs with `cpu`). */
export function pywarpBuild({ app, buildpack, root, home, serverUrl, extraEnv = {}, cpu = false }) {
  mkdirSync(home, { recursive: true });
  const env = { ...pipSettings(serverUrl), ...extraEnv };
  const flags = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  return run(
    process.execPath,
    [
      cli,
      'build',
      app,
      '--buildpack',
      buildpack,
      '--layers',
      join(root, 'layers'),
      '--cache',
      join(root, 'cache'),
      '--platform',
      join(root, 'platform'),
      ...flags,
    ],
    {
      cwd: app,
      env: scrubbedEnv(home),
      cpu,
    },
  );
}

/**
 * Milliseconds per `[Section]` of a pywarp build log (from its header line to the next one;
 * the first entry, "(start)", is the time before any output). Times are when the output
 * reached this process, so they are accurate to a pipe's buffering, a few ms.
 */
export function sections(result) {
  const marks = [{ name: '(start)', at: 0 }];
  for (const { at, text } of result.lines) {
    const m = /^\[([^\]]+)\]$/.exec(text.trim());
    if (m) marks.push({ name: m[1], at });
  }
  const out = {};
  marks.forEach((mark, i) => {
    const end = i + 1 < marks.length ? marks[i + 1].at : result.ms;
    out[mark.name] = (out[mark.name] ?? 0) + (end - mark.at);
  });
  return out;
}

/**
 * The log lines after which the build went quiet for at least `minMs`: what it was doing
 * then (e.g. after "Creating virtual environment." comes `python -m venv`). Each entry is
 * the line (numbers masked, so runs compare) and the ms until the next line.
 */
export function slowLines(result, minMs = 150) {
  const out = [];
  result.lines.forEach(({ at, text }, i) => {
    const next = i + 1 < result.lines.length ? result.lines[i + 1].at : result.ms;
    if (next - at >= minMs)
      out.push({
        after: text
          .trim()
          .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT')
          .replace(/\/tmp\/[^/ ]+/g, '/tmp/…'),
        ms: Math.round(next - at),
      });
  });
  return out;
}

/** Did pywarp run pip in this build? (its log says "Running 'pip install ...'") */
export const pipRan = (output) => /Running 'pip/.test(output);

// ---------------------------------------------------------------- HTTP

/** Polls `url` until it answers 200 (bounded); resolves ms since `since` (an hrtime bigint), or throws. */
export async function waitFor200(url, since, { timeoutMs = 30_000, intervalMs = 10, alive = () => true } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive()) throw new Error(`the server exited before answering ${url}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200) return Number(process.hrtime.bigint() - since) / 1e6;
    } catch {
      /* not listening yet */
    }
    await sleep(intervalMs);
  }
  throw new Error(`no 200 from ${url} within ${timeoutMs} ms`);
}

/** A free TCP port on 127.0.0.1 (bound then released). */
export async function freePort() {
  const { createServer: tcp } = await import('node:net');
  return new Promise((ok, fail) => {
    const s = tcp();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

// ---------------------------------------------------------------- sizes

/**
 * What `du -sb` says: apparent bytes of everything under `path` (directories, files and
 * symlinks themselves, links not followed), each hardlinked inode once per `seen` set.
 * Also counts files (regular ones) and the bytes of .pyc files among them.
 */
export function apparentSize(path, seen = new Set(), acc = { bytes: 0, files: 0, pycBytes: 0 }) {
  const st = lstatSync(path);
  const key = `${st.dev}:${st.ino}`;
  if (seen.has(key)) return acc;
  seen.add(key);
  acc.bytes += st.size;
  if (st.isFile()) {
    acc.files++;
    if (path.endsWith('.pyc')) acc.pycBytes += st.size;
  }
  if (st.isDirectory()) for (const name of readdirSync(path)) apparentSize(join(path, name), seen, acc);
  return acc;
}

// ---------------------------------------------------------------- numbers and output

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
export const round = (x, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * The 90 % bootstrap interval of median(a) / median(b): both resampled with replacement 2000 times.
 * The resampling is seeded, so the same numbers always give the same interval in a report.
 */
export function medianRatioInterval(a, b, resamples = 2000) {
  const random = seededRandom(1);
  const resample = (xs) => xs.map(() => xs[Math.floor(random() * xs.length)]);
  const ratios = Array.from({ length: resamples }, () => median(resample(a)) / median(resample(b))).sort((p, q) => p - q);
  return [ratios[Math.floor(resamples * 0.05)], ratios[Math.ceil(resamples * 0.95) - 1]];
}

/** mulberry32: uniform numbers in [0, 1) from a 32-bit seed. */
function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export const mib = (bytes) => round(bytes / 1024 / 1024, 1);

/** A plain-text table: first column left-aligned, the rest right-aligned. */
export function table(headers, rows) {
  const cells = [headers, ...rows].map((r) => r.map((c) => (c === undefined || c === null ? '' : String(c))));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r) =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/** "met" / "MISSED" for a target. */
export const verdict = (ok) => (ok ? 'met' : 'MISSED');

/** Writes bench/results/<name>.json and prints it. */
export function report(name, data) {
  const dir = join(repo, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const text = `${JSON.stringify(data, null, 2)}\n`;
  writeFileSync(join(dir, `${name}.json`), text);
  console.log(`\n${text}`);
  console.log(`(written to ${join('bench', 'results', `${name}.json`)})`);
}

/** Machine facts every report carries, so numbers from different machines are not compared blindly. */
export function machine() {
  const cpus = (() => {
    try {
      return execFileSync('nproc', { encoding: 'utf8' }).trim();
    } catch {
      return '?';
    }
  })();
  return {
    node: process.versions.node,
    cpus: Number(cpus),
    date: new Date().toISOString(),
    loadAtStart: loadAtStart,
    loadAtEnd: loadavg(),
  };
}

/** 1-minute load average: other work on the machine makes every figure noisier. */
export const loadavg = () => Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
const loadAtStart = loadavg();

export function removeAll(paths) {
  for (const p of paths) {
    rmSync(p, { recursive: true, force: true });
    tempDirs.delete(p);
  }
}

// ---------------------------------------------------------------- an image's processes

/**
 * A process type of a built image as the CNB launcher would start it, without the Node CLI:
 * its command from config/metadata.toml and the environment of the launch layers (bin/ on
 * PATH; env/ and env.launch/ files: .override or no suffix, .default, .prepend, .append, .delim).
 */
export function imageProcess(layersDir, type, base) {
  const metadata = TOML.parse(readFileSync(join(layersDir, 'config', 'metadata.toml'), 'utf8'));
  const process_ = metadata.processes.find((p) => p.type === type);
  if (!process_) throw new Error(`no process type ${type} in ${layersDir}`);
  const env = { ...base };
  for (const bp of metadata.buildpacks) {
    const bpDir = join(layersDir, bp.id.replaceAll('/', '_'));
    for (const name of readdirSync(bpDir).filter((n) => n.endsWith('.toml') && n !== 'launch.toml' && n !== 'store.toml')) {
      const layer = join(bpDir, name.slice(0, -'.toml'.length));
      if (!TOML.parse(readFileSync(`${layer}.toml`, 'utf8')).types?.launch || !existsSync(layer)) continue;
      if (existsSync(join(layer, 'bin'))) env.PATH = `${join(layer, 'bin')}:${env.PATH ?? ''}`;
      for (const dir of ['env', 'env.launch'].map((d) => join(layer, d)).filter(existsSync)) {
        for (const file of readdirSync(dir).filter((f) => statSync(join(dir, f)).isFile() && !f.endsWith('.delim'))) {
          const [name, action = 'override'] = file.split('.');
          const value = readFileSync(join(dir, file), 'utf8');
          const delim = existsSync(join(dir, `${name}.delim`)) ? readFileSync(join(dir, `${name}.delim`), 'utf8') : '';
          if (action === 'override') env[name] = value;
          else if (action === 'default') env[name] ??= value;
          else if (action === 'prepend') env[name] = env[name] ? `${value}${delim}${env[name]}` : value;
          else if (action === 'append') env[name] = env[name] ? `${env[name]}${delim}${value}` : value;
        }
      }
    }
  }
  return { file: process_.command[0], args: [...process_.command.slice(1), ...(process_.args ?? [])], env };
}

/** CPU time (ms, user + system) of every live process in session `sid`: a server started detached and its children. */
export function sessionCpuMs(sid) {
  let ticks = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(f[3]) === sid) ticks += Number(f[11]) + Number(f[12]);
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}
