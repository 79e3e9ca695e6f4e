// Size of the image pywarp makes against the hand-made minimum, measured in the same run.
//   node bench/size.mjs [--app SAMPLE] [--no-bundle]
// Builds a copy of samples/<app> (default warpdrive-flask) with a test copy of the buildpack
// (fixture CPython 3.11 and wheelhouse served on 127.0.0.1 from this process), then sums the
// apparent bytes (what `du -sb` says: links not followed, hardlinked files once) of every
// launch layer (`[types] launch = true` with a directory: cpython, venv, launcher), against
// the hand-made equivalent: the CPython tarball extracted with tar -xzf, plus the
// site-packages of a venv made from it with `pip install -r requirements.txt`.
// Prints a table, then JSON (also bench/results/size.json). Not part of the tests.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import TOML from '@iarna/toml';
import * as L from './lib.mjs';

const { values } = parseArgs({ options: { app: { type: 'string', default: 'warpdrive-flask' }, 'no-bundle': { type: 'boolean' } } });

L.bundle();
const fixtures = L.findFixtures();
const server = await L.startFileServer(fixtures.dir);
const work = L.tempDir('pywarp-bench-size-');
const size = (path, seen = new Set()) => L.apparentSize(path, seen);
let pywarp;
let hand;
let shared;
try {
  const buildpack = L.makeTestBuildpack(join(work, 'buildpack'), fixtures, server.url);
  const app = L.copySample(values.app, join(work, 'app'));
  const home = join(work, 'home');
  const built = await L.pywarpBuild({ app, buildpack, root: join(work, 'image'), home, serverUrl: server.url });
  if (built.code !== 0) throw new Error(`pywarp build exited ${built.code}:\n${L.tailOf(built.output, 40)}`);
  const bpLayers = join(work, 'image', 'layers', 'pywarp_python');
  const launchLayers = readdirSync(bpLayers)
    .filter((f) => f.endsWith('.toml') && !['launch.toml', 'store.toml'].includes(f))
    .map((f) => ({ name: f.slice(0, -5), types: TOML.parse(readFileSync(join(bpLayers, f), 'utf8')).types ?? {} }))
    .filter((l) => l.types.launch && existsSync(join(bpLayers, l.name)))
    .map((l) => l.name)
    .sort();
  // each layer on its own, and all of them with one inode set (a file linked across layers counts once)
  pywarp = Object.fromEntries(launchLayers.map((name) => [name, size(join(bpLayers, name))]));
  const seen = new Set();
  const total = { bytes: 0, files: 0, pycBytes: 0 };
  for (const name of launchLayers) L.apparentSize(join(bpLayers, name), seen, total);
  pywarp.total = total;

  const dir = join(work, 'hand');
  mkdirSync(join(dir, 'python'), { recursive: true });
  mkdirSync(join(dir, 'home'), { recursive: true });
  const env = L.scrubbedEnv(join(dir, 'home'), { ...L.pipSettings(server.url), PIP_CACHE_DIR: join(dir, 'pip-cache') });
  await L.runOk('tar', ['-xzf', fixtures.tarball, '-C', join(dir, 'python')], { env });
  await L.runOk(join(dir, 'python', 'bin', 'python3'), ['-m', 'venv', join(dir, 'venv')], { cwd: app, env });
  await L.runOk(join(dir, 'venv', 'bin', 'pip'), ['install', '-r', 'requirements.txt'], { cwd: app, env });
  const sitePackages = join(
    dir,
    'venv',
    'lib',
    readdirSync(join(dir, 'venv', 'lib')).find((n) => n.startsWith('python')),
    'site-packages',
  );
  hand = { cpython: size(join(dir, 'python')), sitePackages: size(sitePackages), wholeVenv: size(join(dir, 'venv')) };
  hand.total = {
    bytes: hand.cpython.bytes + hand.sitePackages.bytes,
    files: hand.cpython.files + hand.sitePackages.files,
    pycBytes: hand.cpython.pycBytes + hand.sitePackages.pycBytes,
  };
  shared = { cpython: pywarp.cpython, venv: pywarp.venv };
} finally {
  await server.close();
  L.removeAll([work]);
}

const ratio = (a, b) => (b ? L.round(a / b, 3) : null);
const row = (label, s, vs) => [
  label,
  s.bytes,
  L.mib(s.bytes),
  s.files,
  L.mib(s.pycBytes),
  vs ? `${ratio(s.bytes, vs.bytes).toFixed(3)}x` : '',
];
console.log(`\nsize: ${values.app}, apparent bytes (du -sb: hardlinks once, symlinks not followed)\n`);
console.log(
  L.table(
    ['what', 'bytes', 'MiB', 'files', '.pyc MiB', 'vs hand-made'],
    [
      ...Object.entries(pywarp)
        .filter(([k]) => k !== 'total')
        .map(([k, s]) => row(`pywarp layer ${k}`, s, k === 'cpython' ? hand.cpython : k === 'venv' ? hand.sitePackages : undefined)),
      row('pywarp launch layers, total', pywarp.total, hand.total),
      row('hand-made: CPython extracted', hand.cpython),
      row('hand-made: venv site-packages', hand.sitePackages),
      row('hand-made: CPython + site-packages', hand.total),
      row('(hand-made: whole venv)', hand.wholeVenv),
    ],
  ),
);
console.log(
  `\npywarp's launch layers are ${ratio(pywarp.total.bytes, hand.total.bytes)}x the CPython plus the installed packages (+${L.mib(pywarp.total.bytes - hand.total.bytes)} MiB)`,
);
L.report('size', {
  benchmark: 'size',
  app: values.app,
  machine: L.machine(),
  fixtures: fixtures.dir,
  ratio: ratio(pywarp.total.bytes, hand.total.bytes),
  pywarpLaunchLayers: pywarp,
  handMade: hand,
  perLayerRatios: {
    cpython: ratio(shared.cpython.bytes, hand.cpython.bytes),
    venvOverSitePackages: ratio(shared.venv.bytes, hand.sitePackages.bytes),
  },
});
