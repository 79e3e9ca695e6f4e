// How long the PACKAGED bin/detect takes, against a bare start of the same Node.
//   node bench/detect.mjs [--runs N]
// Bundles and packages the current tree (as a directory, into a temp dir), then runs
// bin/detect on every app in samples/ plus a made-up non-Python one (or a few made-up
// apps when there are no samples) with only CNB_* variables and a PATH without node.
// bin/detect decides these in sh (dist/detect.sh); the Node detect it falls back to
// (node/bin/node dist/detect.cjs, the shipped node) is timed too. `node -e 0` runs the
// same number of times, interleaved, so all three see the same machine state, and so
// does `true` (the cost of spawning anything from here). Prints a table, then JSON. Not
// part of the tests.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

// issue 17: a native-speed detect, like Heroku's and Paketo's compiled ones.
const TARGET_MS = 10;
const TARGET_RATIO = 0.35;
const WARMUP = 3;
const repo = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '31' } } });
const runs = Number(values.runs);

const MADE_UP_APPS = {
  'requirements-app': { 'requirements.txt': 'flask\n', 'wsgi.py': 'application = None\n' },
  'django-app': { 'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n' },
  'app-py-app': { 'app.py': 'print("hi")\n' },
  'not-python': { 'index.html': '<p>hi</p>\n', 'package.json': '{}\n' },
};

function apps(work) {
  const samples = join(repo, 'samples');
  const found = existsSync(samples) ? readdirSync(samples).filter((n) => statSync(join(samples, n)).isDirectory()) : [];
  const madeUp = Object.entries(MADE_UP_APPS).filter(([name]) => !found.length || name === 'not-python');
  return [
    ...found.map((name) => ({ name, dir: join(samples, name) })),
    ...madeUp.map(([name, files]) => {
      const dir = join(work, 'apps', name);
      mkdirSync(dir, { recursive: true });
      for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
      return { name, dir };
    }),
  ];
}

/** A PATH holding only what the shim itself calls: a node there would hide a broken package. */
function pathWithoutNode(work) {
  const bin = join(work, 'bin');
  mkdirSync(bin);
  for (const tool of ['sh', 'dirname', 'basename']) {
    symlinkSync(execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), join(bin, tool));
  }
  return bin;
}

function timeMs(file, args, opts) {
  const start = process.hrtime.bigint();
  const result = spawnSync(file, args, { ...opts, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0 && result.status !== 100) throw new Error(`${file} exited ${result.status}: ${result.stderr}`);
  return { ms, status: result.status };
}

const TRUE = ['/usr/bin/true', '/bin/true'].find((f) => existsSync(f));
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const round = (x) => Math.round(x * 10) / 10;

function measure(pkg, app, env, work) {
  const platform = join(work, 'platform');
  const plan = join(work, 'plan.toml');
  const detectEnv = {
    ...env,
    CNB_BUILDPACK_DIR: pkg,
    CNB_PLATFORM_DIR: platform,
    CNB_BUILD_PLAN_PATH: plan,
    CNB_TARGET_OS: 'linux',
    CNB_TARGET_ARCH: 'amd64',
  };
  const node = join(pkg, 'node', 'bin', 'node');
  const detect = () => timeMs(join(pkg, 'bin', 'detect'), [platform, plan], { cwd: app.dir, env: detectEnv });
  const nodeDetect = () => timeMs(node, [join(pkg, 'dist', 'detect.cjs'), platform, plan], { cwd: app.dir, env: detectEnv });
  const bare = () => timeMs(node, ['-e', '0'], { cwd: app.dir, env });
  const spawnOnly = () => timeMs(TRUE, [], { cwd: app.dir, env });
  for (let i = 0; i < WARMUP; i++) {
    detect();
    nodeDetect();
    bare();
    spawnOnly();
  }
  const d = [],
    nd = [],
    n = [],
    t = [];
  let status;
  for (let i = 0; i < runs; i++) {
    const r = detect();
    status = r.status;
    d.push(r.ms);
    const viaNode = nodeDetect();
    if (viaNode.status !== status) throw new Error(`${app.name}: bin/detect exited ${status}, dist/detect.cjs ${viaNode.status}`);
    nd.push(viaNode.ms);
    n.push(bare().ms);
    t.push(spawnOnly().ms);
  }
  const detectMs = median(d),
    nodeDetectMs = median(nd),
    nodeMs = median(n);
  return {
    app: app.name,
    detectExit: status,
    detectMs: round(detectMs),
    nodeDetectMs: round(nodeDetectMs),
    nodeMs: round(nodeMs),
    trueMs: round(median(t)),
    ratio: Math.round((detectMs / nodeMs) * 100) / 100,
    nodeDetectRatio: Math.round((nodeDetectMs / nodeMs) * 100) / 100,
  };
}

const work = mkdtempSync(join(tmpdir(), 'pywarp-bench-'));
try {
  execFileSync(process.execPath, [join(repo, 'scripts', 'bundle.mjs')], { cwd: repo, stdio: 'inherit' });
  execFileSync(process.execPath, [join(repo, 'dist', 'pywarp.js'), 'package', '--format', 'dir', '--output', work], {
    cwd: repo,
    stdio: 'ignore',
  });
  const pkg = join(
    work,
    readdirSync(work).find((n) => n.startsWith('pywarp-')),
  );
  mkdirSync(join(work, 'platform'));
  const env = { PATH: pathWithoutNode(work) };
  const rows = apps(work).map((app) => measure(pkg, app, env, work));
  console.log(
    `packaged bin/detect (sh fast path) and its Node fallback vs \`node -e 0\` (same binary), median of ${runs} interleaved runs each\n`,
  );
  console.log(
    `${'app'.padEnd(20)}${'exit'.padStart(5)}${'detect ms'.padStart(11)}${'ratio'.padStart(7)}${'node detect ms'.padStart(16)}${'ratio'.padStart(7)}${'node -e 0 ms'.padStart(14)}${'true ms'.padStart(9)}`,
  );
  for (const r of rows) {
    console.log(
      `${r.app.padEnd(20)}${String(r.detectExit).padStart(5)}${String(r.detectMs).padStart(11)}${r.ratio.toFixed(2).padStart(7)}${String(r.nodeDetectMs).padStart(16)}${r.nodeDetectRatio.toFixed(2).padStart(7)}${String(r.nodeMs).padStart(14)}${String(r.trueMs).padStart(9)}`,
    );
  }
  const met = rows.filter((r) => r.detectMs <= TARGET_MS && r.ratio <= TARGET_RATIO).length;
  console.log(`\ntarget: bin/detect <= ${TARGET_MS} ms and ratio <= ${TARGET_RATIO} — met on ${met} of ${rows.length} apps\n`);
  console.log(
    JSON.stringify({ runs, targetMs: TARGET_MS, targetRatio: TARGET_RATIO, node: process.versions.node, results: rows }, null, 2),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
