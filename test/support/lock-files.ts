// Lock files in each tool's real format for packages of the fixture wheelhouse, with the
// sha256 of the actual wheels, and a real pip run that installs what pywarp makes of them.
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { pipfileHashes } from '../../src/plan/locks/pipfile-lock.js';
import { poetryContentHashes } from '../../src/plan/locks/poetry-lock.js';
import { parseToml } from '../../src/cnb/toml.js';
import { scrubbedEnv } from './scrubbed-env.js';

const norm = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');

export interface LockFile {
  file: string;
  sha256: string;
}

/** A locked package: its files, what it depends on (with edge markers) and its extras. */
export interface LockedDist {
  name: string;
  version: string;
  files: LockFile[];
  deps?: { name: string; marker?: string; version?: string }[];
  extras?: Record<string, string[]>;
  /** For a version locked for some Pythons only (a fork). */
  fork?: string;
}

/**
 * An app's dependencies, the same in every format: the project's main dependencies (with
 * markers and extras), a dev group, and every package the locks pin.
 */
export interface Scenario {
  project: string;
  main: { name: string; marker?: string; extras?: string[]; version?: string }[];
  dev: string[];
  packages: LockedDist[];
}

/** The fixture wheelhouse's wheels by normalized project name, with the sha256 of each file. */
export async function fixtureWheels(wheelhouse: string): Promise<Map<string, { name: string; version: string; file: LockFile }>> {
  const out = new Map<string, { name: string; version: string; file: LockFile }>();
  for (const file of (await readdir(wheelhouse)).filter((f) => f.endsWith('.whl'))) {
    const [name, version] = file.split('-') as [string, string];
    const sha256 = createHash('sha256')
      .update(await readFile(join(wheelhouse, file)))
      .digest('hex');
    out.set(norm(name), { name, version, file: { file, sha256 } });
  }
  return out;
}

/** A file of a package that is not in the wheelhouse: pip fails if it ever tries to install it. */
export function absentFile(name: string, version: string): LockFile {
  return {
    file: `${name}-${version}-py3-none-any.whl`,
    sha256: createHash('sha256').update(`${name}-${version} is not in the wheelhouse`).digest('hex'),
  };
}

/**
 * The scenario the integration test installs: Flask, gunicorn, whitenoise[brotli] (an extra
 * pulling in blinker), waitress forked on the Python version, colorama for Windows only,
 * pytest in the dev group. colorama, pytest and the old waitress are not in the wheelhouse.
 */
export async function fixtureScenario(wheelhouse: string): Promise<Scenario> {
  const wheels = await fixtureWheels(wheelhouse);
  const dist = (name: string, more: Partial<LockedDist> = {}): LockedDist => {
    const w = wheels.get(name);
    if (!w) throw new Error(`${name} is not in the fixture wheelhouse`);
    return { name, version: w.version, files: [w.file], ...more };
  };
  return {
    project: 'hello-app',
    main: [
      { name: 'flask', version: '2.2.2' },
      { name: 'gunicorn' },
      { name: 'whitenoise', extras: ['brotli'] },
      { name: 'colorama', marker: "sys_platform == 'win32'" },
      { name: 'waitress', version: '2.1.2', marker: "python_full_version >= '3.11'" },
      { name: 'waitress', version: '1.4.4', marker: "python_full_version < '3.11'" },
    ],
    dev: ['pytest'],
    packages: [
      dist('blinker'),
      dist('click', { deps: [{ name: 'colorama', marker: "platform_system == 'Windows'" }] }),
      { name: 'colorama', version: '0.4.6', files: [absentFile('colorama', '0.4.6')] },
      dist('flask', { deps: [{ name: 'click' }, { name: 'itsdangerous' }, { name: 'jinja2' }, { name: 'werkzeug' }] }),
      dist('gunicorn', { deps: [{ name: 'setuptools' }] }),
      dist('itsdangerous'),
      dist('jinja2', { deps: [{ name: 'markupsafe' }] }),
      dist('markupsafe'),
      { name: 'pytest', version: '7.4.0', files: [absentFile('pytest', '7.4.0')] },
      dist('setuptools'),
      dist('waitress', { fork: "python_full_version >= '3.11'" }),
      { name: 'waitress', version: '1.4.4', files: [absentFile('waitress', '1.4.4')], fork: "python_full_version < '3.11'" },
      dist('werkzeug', { deps: [{ name: 'markupsafe' }] }),
      dist('whitenoise', { extras: { brotli: ['blinker'] } }),
    ],
  };
}

/** The samples' scenario (samples/*-lock): a Flask app served by waitress, nothing else. */
export async function sampleScenario(wheelhouse: string, project: string): Promise<Scenario> {
  const wheels = await fixtureWheels(wheelhouse);
  const dist = (name: string, deps: string[] = []): LockedDist => {
    const w = wheels.get(name);
    if (!w) throw new Error(`${name} is not in the fixture wheelhouse`);
    return { name, version: w.version, files: [w.file], ...(deps.length ? { deps: deps.map((d) => ({ name: d })) } : {}) };
  };
  return {
    project,
    main: [{ name: 'flask', version: '2.2.2' }, { name: 'waitress' }],
    dev: [],
    packages: [
      dist('click'),
      dist('flask', ['click', 'itsdangerous', 'jinja2', 'werkzeug']),
      dist('itsdangerous'),
      dist('jinja2', ['markupsafe']),
      dist('markupsafe'),
      dist('waitress'),
      dist('werkzeug', ['markupsafe']),
    ],
  };
}

/** What pip must install from every format (the project itself aside). */
export const SCENARIO_INSTALLS = [
  'blinker',
  'click',
  'flask',
  'gunicorn',
  'itsdangerous',
  'jinja2',
  'markupsafe',
  'setuptools',
  'waitress',
  'werkzeug',
  'whitenoise',
];

const PYPI = 'https://pypi.org/simple';
const fileUrl = (f: LockFile) => `https://files.pythonhosted.org/packages/00/00/${f.file}`;
const q = (s: string) => JSON.stringify(s);
const versionsOf = (s: Scenario, name: string) => s.packages.filter((p) => p.name === name);

const SETUPTOOLS_BUILD =
  '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n[tool.setuptools]\npy-modules = ["hello"]\n';

function pep508(d: Scenario['main'][number]): string {
  return `${d.name}${d.extras ? `[${d.extras.join(',')}]` : ''}${d.version ? `==${d.version}` : ''}${d.marker ? ` ; ${d.marker}` : ''}`;
}

/** uv.lock (version 1) and its pyproject.toml; the project is a package installed with --no-deps. */
export function uvFiles(s: Scenario): Record<string, string> {
  const requires = s.main.map((d) => pep508(d));
  const pyproject = `[project]\nname = ${q(s.project)}\nversion = "1.0"\nrequires-python = ">=3.9"\ndependencies = ${JSON.stringify(requires)}\n\n${s.dev.length ? `[dependency-groups]\ndev = ${JSON.stringify(s.dev)}\n\n` : ''}${SETUPTOOLS_BUILD}`;
  const edge = (d: { name: string; marker?: string; version?: string; extras?: string[] }) => {
    const forked = versionsOf(s, d.name).length > 1 && d.version;
    return `{ name = ${q(d.name)}${forked ? `, version = ${q(d.version as string)}, source = { registry = ${q(PYPI)} }` : ''}${d.extras ? `, extra = ${JSON.stringify(d.extras)}` : ''}${d.marker ? `, marker = ${q(d.marker)}` : ''} }`;
  };
  const dists = s.packages.map((p) =>
    [
      '[[package]]',
      `name = ${q(p.name)}`,
      `version = ${q(p.version)}`,
      `source = { registry = ${q(PYPI)} }`,
      ...(p.fork ? [`resolution-markers = [\n    ${q(p.fork)},\n]`] : []),
      ...(p.deps ? [`dependencies = [\n${p.deps.map((d) => `    ${edge(d)},`).join('\n')}\n]`] : []),
      `wheels = [\n${p.files.map((f) => `    { url = ${q(fileUrl(f))}, hash = "sha256:${f.sha256}", size = 1 },`).join('\n')}\n]`,
      ...(p.extras
        ? [
            '',
            '[package.optional-dependencies]',
            ...Object.entries(p.extras).map(([e, names]) => `${e} = [\n${names.map((n) => `    { name = ${q(n)} },`).join('\n')}\n]`),
          ]
        : []),
    ].join('\n'),
  );
  const root = [
    '[[package]]',
    `name = ${q(s.project)}`,
    'version = "1.0"',
    'source = { editable = "." }',
    `dependencies = [\n${s.main.map((d) => `    ${edge(d)},`).join('\n')}\n]`,
    '',
    ...(s.dev.length ? ['[package.dev-dependencies]', `dev = [\n${s.dev.map((n) => `    { name = ${q(n)} },`).join('\n')}\n]`, ''] : []),
    '[package.metadata]',
    `requires-dist = [\n${s.main.map((d) => `    { name = ${q(d.name)}${d.extras ? `, extras = ${JSON.stringify(d.extras)}` : ''}${d.version ? `, specifier = "==${d.version}"` : ''}${d.marker ? `, marker = ${q(d.marker)}` : ''} },`).join('\n')}\n]`,
  ].join('\n');
  const forks = [...new Set(s.packages.flatMap((p) => (p.fork ? [p.fork] : [])))];
  const resolution = forks.length ? `resolution-markers = [\n${forks.map((f) => `    ${q(f)},`).join('\n')}\n]\n` : '';
  const lock = `version = 1\nrevision = 2\nrequires-python = ">=3.9"\n${resolution}\n${[root, ...dists].join('\n\n')}\n`;
  return { 'pyproject.toml': pyproject, 'uv.lock': lock };
}

/**
 * poetry.lock (lock-version 2.0) and its pyproject.toml with [tool.poetry] dependencies and a dev group;
 * `packageMode: false` writes `package-mode = false` (the build backend stays, which the setting overrides).
 */
export function poetryFiles(s: Scenario, { packageMode = true }: { packageMode?: boolean } = {}): Record<string, string> {
  const constraint = (d: Scenario['main'][number]) => {
    const table = [
      `version = ${q(d.version ?? '*')}`,
      ...(d.extras ? [`extras = ${JSON.stringify(d.extras)}`] : []),
      ...(d.marker ? [`markers = ${q(d.marker)}`] : []),
    ];
    return `{${table.join(', ')}}`;
  };
  const names = [...new Set(s.main.map((d) => d.name))];
  const deps = names.map((n) => {
    const cs = s.main.filter((d) => d.name === n);
    return `${n} = ${cs.length > 1 ? `[\n${cs.map((c) => `    ${constraint(c)},`).join('\n')}\n]` : constraint(cs[0] as Scenario['main'][number])}`;
  });
  // built by setuptools (poetry-core is not in the wheelhouse), which reads the name from [project]
  const pyproject = `[project]\nname = ${q(s.project)}\nversion = "1.0"\n\n[tool.poetry]\n${packageMode ? '' : 'package-mode = false\n'}name = ${q(s.project)}\nversion = "1.0"\ndescription = ""\nauthors = ["A <a@example.com>"]\n\n[tool.poetry.dependencies]\npython = "^3.9"\n${deps.join('\n')}\n\n${s.dev.length ? `[tool.poetry.group.dev.dependencies]\n${s.dev.map((n) => `${n} = "*"`).join('\n')}\n\n` : ''}${SETUPTOOLS_BUILD}`;
  const dists = s.packages.map((p) => {
    const dependencies = [
      ...(p.deps ?? []).map((d) => `${d.name} = ${d.marker ? `{version = "*", markers = ${q(d.marker)}}` : '"*"'}`),
      ...Object.entries(p.extras ?? {}).flatMap(([e, ns]) =>
        ns.map((n) => `${n} = {version = "*", optional = true, markers = ${q(`extra == "${e}"`)}}`),
      ),
    ];
    return [
      '[[package]]',
      `name = ${q(p.name)}`,
      `version = ${q(p.version)}`,
      'description = ""',
      `category = ${q(s.dev.includes(p.name) ? 'dev' : 'main')}`,
      'optional = false',
      'python-versions = ">=3.7"',
      `files = [\n${p.files.map((f) => `    {file = ${q(f.file)}, hash = "sha256:${f.sha256}"},`).join('\n')}\n]`,
      ...(dependencies.length ? ['', '[package.dependencies]', ...dependencies] : []),
      ...(p.extras ? ['', '[package.extras]', ...Object.entries(p.extras).map(([e, ns]) => `${e} = ${JSON.stringify(ns)}`)] : []),
    ].join('\n');
  });
  const hash = poetryContentHashes(parseToml(pyproject, 'pyproject.toml'))[0] as string;
  const lock = `# This file is automatically @generated by Poetry 1.8.3 and should not be changed by hand.\n\n${dists.join('\n\n')}\n\n[metadata]\nlock-version = "2.0"\npython-versions = "^3.9"\ncontent-hash = ${q(hash)}\n`;
  return { 'pyproject.toml': pyproject, 'poetry.lock': lock };
}

/** Pipfile and Pipfile.lock (pipfile-spec 6): one version per package, so no fork; `develop` holds the dev group. */
export function pipenvFiles(s: Scenario): Record<string, string> {
  const main = s.main.filter((d) => d.name !== 'waitress' || d.version === '2.1.2');
  const pipfile = `[[source]]\nurl = "https://pypi.org/simple"\nverify_ssl = true\nname = "pypi"\n\n[packages]\n${main.map((d) => `${d.name} = ${d.marker || d.extras ? `{version = "*"${d.extras ? `, extras = ${JSON.stringify(d.extras)}` : ''}${d.marker ? `, markers = ${q(d.marker)}` : ''}}` : '"*"'}`).join('\n')}\n\n[dev-packages]\n${s.dev.map((n) => `${n} = "*"`).join('\n')}\n\n[requires]\npython_version = "3.11"\n`;
  const entry = (p: LockedDist, marker?: string) => ({
    hashes: p.files.map((f) => `sha256:${f.sha256}`),
    index: 'pypi',
    ...(marker ? { markers: marker } : {}),
    version: `==${p.version}`,
  });
  const defaults = s.packages.filter((p) => !s.dev.includes(p.name) && p.version !== '1.4.4');
  const lock = {
    _meta: {
      hash: { sha256: pipfileHashes(parseToml(pipfile, 'Pipfile'))[0] },
      'pipfile-spec': 6,
      requires: { python_version: '3.11' },
      sources: [{ name: 'pypi', url: PYPI, verify_ssl: true }],
    },
    default: Object.fromEntries(
      defaults.map((p) => [
        p.name,
        entry(p, p.name === 'colorama' ? "platform_system == 'Windows' or sys_platform == 'win32'" : undefined),
      ]),
    ),
    develop: Object.fromEntries(s.packages.filter((p) => s.dev.includes(p.name)).map((p) => [p.name, entry(p)])),
  };
  return { Pipfile: pipfile, 'Pipfile.lock': `${JSON.stringify(lock, null, 4)}\n` };
}

/** pylock.toml (PEP 751 1.0): flat packages with markers, the dev group behind `dependency_groups`, the project as a directory. */
export function pylockFiles(s: Scenario): Record<string, string> {
  const markers: Record<string, string> = {
    colorama: "sys_platform == 'win32' or platform_system == 'Windows'",
    pytest: "'dev' in dependency_groups",
  };
  const pkgs = s.packages.map((p) => {
    const marker = p.fork ?? markers[p.name];
    return [
      '[[packages]]',
      `name = ${q(p.name)}`,
      `version = ${q(p.version)}`,
      ...(marker ? [`marker = ${q(marker)}`] : []),
      `index = ${q(PYPI)}`,
      `wheels = [\n${p.files.map((f) => `    { name = ${q(f.file)}, url = ${q(fileUrl(f))}, size = 1, hashes = { sha256 = ${q(f.sha256)} } },`).join('\n')}\n]`,
    ].join('\n');
  });
  const project = `[[packages]]\nname = ${q(s.project)}\ndirectory = { path = ".", editable = false }`;
  const pyproject = `[project]\nname = ${q(s.project)}\nversion = "1.0"\ndependencies = ${JSON.stringify(s.main.map((d) => pep508(d)))}\n\n${SETUPTOOLS_BUILD}`;
  const lock = `lock-version = "1.0"\nrequires-python = ">=3.9"\nextras = []\ndependency-groups = ["dev"]\ndefault-groups = []\ncreated-by = "pywarp-tests"\n\n${[...pkgs, project].join('\n\n')}\n`;
  return { 'pyproject.toml': pyproject, 'pylock.toml': lock };
}

/**
 * Installs `requirements` (the text pywarp generated) into a fresh venv of the fixture
 * CPython with `pip install --no-deps --require-hashes`, then each local project with
 * --no-deps, in a scrubbed environment against `indexUrl`; returns the installed
 * distributions (normalized names, pip itself left out) and pip's output.
 */
export async function pipInstallLocked(opts: {
  python: string;
  work: string;
  app: string;
  indexUrl: string;
  requirements: string;
  localProjects: string[];
}): Promise<{ installed: string[]; output: string }> {
  const home = join(opts.work, 'home');
  await mkdir(home, { recursive: true });
  const env = scrubbedEnv(home, { PIP_INDEX_URL: opts.indexUrl, PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_CACHE_DIR: '1' });
  const run = (cmd: string, args: string[]) => execa(cmd, args, { cwd: opts.app, env, extendEnv: false, all: true, timeout: 240_000 });
  const venv = join(opts.work, 'venv');
  await run(opts.python, ['-m', 'venv', venv]);
  const py = join(venv, 'bin', 'python');
  const reqFile = join(opts.work, 'locked-requirements.txt');
  await writeFile(reqFile, opts.requirements);
  const outputs = [(await run(py, ['-m', 'pip', 'install', '--no-input', '--no-deps', '--require-hashes', '-r', reqFile])).all ?? ''];
  for (const dir of opts.localProjects)
    outputs.push((await run(py, ['-m', 'pip', 'install', '--no-input', '--no-deps', dir === '.' ? '.' : `./${dir}`])).all ?? '');
  const list = JSON.parse((await run(py, ['-m', 'pip', 'list', '--format', 'json'])).stdout) as { name: string }[];
  return {
    installed: list
      .map((d) => norm(d.name))
      .filter((n) => n !== 'pip')
      .sort(),
    output: outputs.join('\n'),
  };
}

/** The lock samples (samples/<dir>) and the file that installs each. */
export const LOCK_SAMPLES = {
  'uv-lock': 'uv.lock',
  'poetry-lock': 'poetry.lock',
  'pipenv-lock': 'Pipfile.lock',
  pylock: 'pylock.toml',
} as const;

/** A lock sample's files for the fixture wheelhouse: its lock (and pyproject.toml or Pipfile), and a Flask app in app.py. */
export async function lockSample(wheelhouse: string, dir: keyof typeof LOCK_SAMPLES): Promise<Record<string, string>> {
  const make = { 'uv-lock': uvFiles, 'poetry-lock': poetryFiles, 'pipenv-lock': pipenvFiles, pylock: pylockFiles }[dir];
  return {
    ...make(await sampleScenario(wheelhouse, `hello-${dir}`)),
    'hello.py': `GREETING = "Hello from ${LOCK_SAMPLES[dir]}!"\n`,
    'app.py':
      'from flask import Flask\n\nfrom hello import GREETING\n\napp = Flask(__name__)\n\n\n@app.route("/")\ndef hello():\n    return GREETING\n',
  };
}
