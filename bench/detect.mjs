// How long the PACKAGED bin/detect takes, against a bare start of the same Node.
//   node bench/detect.mjs [--runs N]
// Bundles and packages the current tree (as a directory, into a temp dir), then runs
// bin/detect on every app in samples/ (or a few small made-up apps when there are none)
// with only CNB_* variables and a PATH without node, so the shim must use the shipped
// node/bin/node. `node -e 0` runs the same number of times, interleaved, so both see the
// same machine state. Prints a table, then JSON. Not part of the tests.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const TARGET_RATIO = 1.3;
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
  if (found.length) return found.map((name) => ({ name, dir: join(samples, name) }));
  return Object.entries(MADE_UP_APPS).map(([name, files]) => {
    const dir = join(work, 'apps', name);
    mkdirSync(dir, { recursive: true });
    for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
    return { name, dir };
  });
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

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const round = (x) => Math.round(x * 10) / 10;

function measure(pkg, app, env, work) {
  const platform = join(work, 'platform');
  const plan = join(work, 'plan.toml');
  const detectEnv = { ...env, CNB_BUILDPACK_DIR: pkg, CNB_PLATFORM_DIR: platform, CNB_BUILD_PLAN_PATH: plan, CNB_TARGET_OS: 'linux', CNB_TARGET_ARCH: 'amd64' };
  const detect = () => timeMs(join(pkg, 'bin', 'detect'), [platform, plan], { cwd: app.dir, env: detectEnv });
  const bare = () => timeMs(join(pkg, 'node', 'bin', 'node'), ['-e', '0'], { cwd: app.dir, env });
  for (let i = 0; i < WARMUP; i++) { detect(); bare(); }
  const d = [], n = [];
  let status;
  for (let i = 0; i < runs; i++) {
    const r = detect();
    status = r.status;
    d.push(r.ms);
    n.push(bare().ms);
  }
  const detectMs = median(d), nodeMs = median(n);
  return { app: app.name, detectExit: status, detectMs: round(detectMs), nodeMs: round(nodeMs), ratio: Math.round((detectMs / nodeMs) * 100) / 100 };
}

const work = mkdtempSync(join(tmpdir(), 'pywarp-bench-'));
try {
  execFileSync(process.execPath, [join(repo, 'scripts', 'bundle.mjs')], { cwd: repo, stdio: 'inherit' });
  execFileSync(process.execPath, [join(repo, 'dist', 'pywarp.js'), 'package', '--format', 'dir', '--output', work], { cwd: repo, stdio: 'ignore' });
  const pkg = join(work, readdirSync(work).find((n) => n.startsWith('pywarp-')));
  mkdirSync(join(work, 'platform'));
  const env = { PATH: pathWithoutNode(work) };
  const rows = apps(work).map((app) => measure(pkg, app, env, work));
  console.log(`packaged bin/detect vs \`node -e 0\` (same binary), median of ${runs} interleaved runs each\n`);
  console.log(`${'app'.padEnd(20)}${'exit'.padStart(5)}${'detect ms'.padStart(11)}${'node ms'.padStart(10)}${'ratio'.padStart(8)}`);
  for (const r of rows) console.log(`${r.app.padEnd(20)}${String(r.detectExit).padStart(5)}${String(r.detectMs).padStart(11)}${String(r.nodeMs).padStart(10)}${r.ratio.toFixed(2).padStart(8)}`);
  console.log(`\ntarget: ratio <= ${TARGET_RATIO}\n`);
  console.log(JSON.stringify({ runs, target: TARGET_RATIO, node: process.versions.node, results: rows }, null, 2));
} finally {
  rmSync(work, { recursive: true, force: true });
}
