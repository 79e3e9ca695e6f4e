// Build times from each lock format against requirements.txt with the same pins, measured in the same run.
//   node bench/locks.mjs [--rounds N] [--no-bundle]
// Bundles dist/ (unless --no-bundle) and serves the test fixtures on 127.0.0.1, as bench/build.mjs.
// The locks are the samples' (samples/{uv-lock,poetry-lock,pipenv-lock,pylock}), which
// test/integration/lock-builds.test.ts checks against the fixture wheelhouse with the wheels'
// real sha256; requirements.txt pins the same seven packages. Two groups of apps:
//   dependencies  the app is not a package (uv `source = { virtual = "." }`, Poetry
//                 `package-mode = false`, pylock.toml without the directory entry, Pipfile.lock)
//                 against requirements.txt with the seven pins
//   package       the lock installs the app itself (the samples as they are; Pipfile.lock has no
//                 such mode) against requirements.txt with the seven pins and `.`
// Every build is cold for the venv (no venv layer) with the same warm pip cache and CPython:
// the cache dir is a copy of one made by building every app once beforehand, minus the venv
// layer. Each round builds every app once, the order rotated by one every round.
// Each build's wall time and its CPU time (user + system of every process of the build): on a
// shared machine the wall time swings with the load, the CPU time is the work done.
// Prints a table, then JSON (also bench/results/locks.json). A ratio above the target is
// MISSED in the table; the exit code is 0 either way. Not part of the tests.
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as L from './lib.mjs';

const TARGET = 1.05;
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    'no-bundle': { type: 'boolean' },
  },
});
const rounds = Number(values.rounds);

/** name==version of every package the samples lock, read from Pipfile.lock (the flattest format). */
function samplePins() {
  const lock = JSON.parse(readFileSync(join(L.repo, 'samples', 'pipenv-lock', 'Pipfile.lock'), 'utf8'));
  return Object.entries(lock.default).map(([name, entry]) => `${name}${entry.version}`);
}

/** Rewrites `file` of the app at `dir` with `edit`, failing loudly when the sample no longer has what is edited. */
function edit(dir, file, change) {
  const path = join(dir, file);
  const before = readFileSync(path, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`bench/locks.mjs: the edit of ${file} changed nothing; has the sample changed?`);
  writeFileSync(path, after);
}

/** The requirements.txt app: a lock sample's app.py and hello.py, the pins (and `.` with the sample's pyproject.toml). */
function requirementsApp(dest, { asPackage }) {
  L.copySample('uv-lock', dest);
  rmSync(join(dest, 'uv.lock'));
  if (!asPackage) rmSync(join(dest, 'pyproject.toml'));
  writeFileSync(join(dest, 'requirements.txt'), `${[...samplePins(), ...(asPackage ? ['.'] : [])].join('\n')}\n`);
  return dest;
}

const notAPackage = {
  'uv-lock': (dir) => edit(dir, 'uv.lock', (t) => t.replace('source = { editable = "." }', 'source = { virtual = "." }')),
  'poetry-lock': (dir) => edit(dir, 'pyproject.toml', (t) => t.replace('[tool.poetry]\n', '[tool.poetry]\npackage-mode = false\n')),
  pylock: (dir) => edit(dir, 'pylock.toml', (t) => t.replace(/\n\[\[packages\]\]\nname = "hello-pylock"\ndirectory = [^\n]*\n/, '\n')),
  'pipenv-lock': () => {},
};

const APPS = [
  { name: 'requirements.txt', group: 'dependencies', file: 'requirements.txt', make: (d) => requirementsApp(d, { asPackage: false }) },
  ...Object.entries({ 'uv-lock': 'uv.lock', 'poetry-lock': 'poetry.lock', 'pipenv-lock': 'Pipfile.lock', pylock: 'pylock.toml' }).map(
    ([sample, file]) => ({
      name: file,
      group: 'dependencies',
      file,
      make: (d) => {
        L.copySample(sample, d);
        notAPackage[sample](d);
        return d;
      },
    }),
  ),
  { name: 'requirements.txt + .', group: 'package', file: 'requirements.txt', make: (d) => requirementsApp(d, { asPackage: true }) },
  ...Object.entries({ 'uv-lock': 'uv.lock', 'poetry-lock': 'poetry.lock', pylock: 'pylock.toml' }).map(([sample, file]) => ({
    name: `${file} (package)`,
    group: 'package',
    file,
    make: (d) => L.copySample(sample, d),
  })),
];

L.bundle();
const fixtures = L.findFixtures();
const server = await L.startFileServer(fixtures.dir);
const work = L.tempDir('pywarp-bench-locks-');

/** pip commands a build ran (its log says "Running 'pip install ...'"). */
const pipRuns = (output) => output.match(/Running 'pip [^']*'/g) ?? [];

async function build(app, root) {
  const r = await L.pywarpBuild({ app, buildpack, root, home: join(root, 'home'), serverUrl: server.url, cpu: true });
  if (r.code !== 0) throw new Error(`pywarp build of ${app} exited ${r.code}:\n${L.tailOf(r.output, 40)}`);
  return { ms: r.ms, cpuMs: r.cpuMs, sections: L.sections(r), pipRuns: pipRuns(r.output).length, output: r.output };
}

let buildpack;
const samples = Object.fromEntries(APPS.map((a) => [a.name, []]));
try {
  buildpack = L.makeTestBuildpack(join(work, 'buildpack'), fixtures, server.url);
  const apps = Object.fromEntries(APPS.map((a, i) => [a.name, a.make(join(work, 'apps', String(i)))]));

  // The shared cache: CPython and a pip cache holding everything any app fetches, no venv.
  const seed = join(work, 'seed');
  for (const a of APPS) {
    const r = await build(apps[a.name], seed);
    if (!r.output.includes(a.file)) throw new Error(`${a.name}: the build log never names ${a.file}:\n${L.tailOf(r.output, 40)}`);
    process.stderr.write(`warm-up ${a.name}: ${Math.round(r.ms)} ms, ${r.pipRuns} pip run(s)\n`);
  }
  const seedCache = join(seed, 'cache', 'pywarp_python');
  for (const name of ['venv', 'venv.toml', 'venv.sbom.cdx.json']) rmSync(join(seedCache, name), { recursive: true, force: true });
  if (!existsSync(join(seedCache, 'pip-cache')) || !existsSync(join(seedCache, 'cpython')))
    throw new Error(`no pip cache or CPython in ${seedCache}`);

  for (let round = 0; round < rounds; round++) {
    const order = APPS.map((_, i) => APPS[(i + round) % APPS.length]);
    for (const a of order) {
      const root = join(work, 'runs', `${round}-${APPS.indexOf(a)}`);
      cpSync(join(seed, 'cache'), join(root, 'cache'), { recursive: true });
      const r = await build(apps[a.name], root);
      samples[a.name].push(r);
      process.stderr.write(
        `round ${round + 1}/${rounds} ${a.name}: ${Math.round(r.ms)} ms (CPU ${Math.round(r.cpuMs)} ms), ${r.pipRuns} pip run(s)\n`,
      );
      L.removeAll([root]);
    }
  }
} finally {
  await server.close();
  L.removeAll([work]);
}

// ---------------------------------------------------------------- report

const DEPS = 'Installing dependencies using pip';
const med = (xs, f = (x) => x.ms) => L.median(xs.map(f));
const baseline = { dependencies: 'requirements.txt', package: 'requirements.txt + .' };
/** Median ms of each log section over `xs`, the sections in the order of the log. */
const sectionMedians = (xs) =>
  Object.fromEntries(Object.keys(xs[0].sections).map((name) => [name, Math.round(med(xs, (r) => r.sections[name] ?? 0))]));
const results = Object.fromEntries(
  APPS.map((a) => {
    const xs = samples[a.name];
    const base = samples[baseline[a.group]];
    const cpu = (r) => r.cpuMs;
    const deps = (r) => r.sections[DEPS] ?? 0;
    const ratio = L.round(med(xs) / med(base), 2);
    const cpuRatio = L.round(med(xs, cpu) / med(base, cpu), 2);
    return [
      a.name,
      {
        group: a.group,
        buildMs: Math.round(med(xs)),
        buildRunsMs: xs.map((r) => Math.round(r.ms)),
        cpuMs: Math.round(med(xs, cpu)),
        cpuRunsMs: xs.map((r) => Math.round(r.cpuMs)),
        dependenciesMs: Math.round(med(xs, deps)),
        pipRuns: L.median(xs.map((r) => r.pipRuns)),
        ratio,
        cpuRatio,
        ratioOfDependencies: L.round(med(xs, deps) / med(base, deps), 2),
        sectionsMs: sectionMedians(xs),
        ...(a.name === baseline[a.group]
          ? {}
          : { target: `<= ${TARGET}x ${baseline[a.group]}`, met: ratio <= TARGET, cpuMet: cpuRatio <= TARGET }),
      },
    ];
  }),
);

console.log(
  `\nlocks: the samples' 7 pinned packages, cold venv, warm pip cache; median of ${rounds} rotated rounds (ms; CPU: user + system of the\nbuild's processes), ${L.machine().cpus} CPUs, load ${L.loadavg()}, fixture index on 127.0.0.1\n`,
);
console.log(
  L.table(
    [
      'installs from',
      'package',
      'build',
      'CPU',
      `[${DEPS}]`,
      'pip runs',
      'ratio',
      'CPU ratio',
      'deps ratio',
      `<= ${TARGET}x (build / CPU)`,
    ],
    Object.entries(results).map(([name, r]) => [
      name,
      r.group === 'package' ? 'yes' : 'no',
      r.buildMs,
      r.cpuMs,
      r.dependenciesMs,
      r.pipRuns,
      `${r.ratio.toFixed(2)}x`,
      `${r.cpuRatio.toFixed(2)}x`,
      `${r.ratioOfDependencies.toFixed(2)}x`,
      r.target ? `${L.verdict(r.met)} / ${L.verdict(r.cpuMet)}` : '(baseline)',
    ]),
  ),
);
// Where a build's time goes, by log section: what a lock build spends beyond requirements.txt's, and where.
const sectionNames = [...new Set(Object.values(results).flatMap((r) => Object.keys(r.sectionsMs)))];
console.log('\nwhere the time goes (median ms per log section)\n');
console.log(
  L.table(
    ['section', ...Object.keys(results)],
    sectionNames.map((name) => [`[${name}]`, ...Object.values(results).map((r) => r.sectionsMs[name] ?? '-')]),
  ),
);
L.report('locks', {
  benchmark: 'locks',
  rounds,
  pins: samplePins(),
  machine: L.machine(),
  fixtures: fixtures.dir,
  target: TARGET,
  results,
});
