// The venv and pip-cache layers, installing real wheels from the fixture index on 127.0.0.1.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { execa } from 'execa';
import { timestampPycs } from '../../src/effects/pyc.js';
import { runBinBuild, writeApp } from '../support/apps.js';
import { startFixtureServer, type FixtureServer } from '../support/fixture-server.js';
import { ensureFixtures, type Fixtures } from '../support/fixtures.js';
import { TestImage } from '../support/pywarp.js';
import { makeTempDir, scrubbedEnv } from '../support/scrubbed-env.js';
import { fixtureCpython, makeTestBuildpack } from '../support/test-buildpack.js';

jest.setTimeout(300_000);

const WSGI = 'from flask import Flask\napplication = Flask(__name__)\n';
let fixtures: Fixtures;
let server: FixtureServer;
let work: string;
let bp: string;
let index: string;
let n = 0;

beforeAll(async () => {
  fixtures = await ensureFixtures();
  server = await startFixtureServer(fixtures.dir);
  index = `${server.url}/wheelhouse/simple/`;
  work = await makeTempDir('pywarp-deps-');
  bp = await makeTestBuildpack(join(work, 'bp'), [fixtureCpython(fixtures, server.url)]);
});

afterAll(async () => {
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

async function setup(files: Record<string, string>) {
  const dir = join(work, `case-${++n}`);
  const app = await writeApp(join(dir, 'app'), files);
  return { app, image: new TestImage(dir, bp), venv: join(dir, 'layers', 'pywarp_python', 'venv') };
}

async function installed(venv: string): Promise<string[]> {
  const site = join(venv, 'lib', 'python3.11', 'site-packages');
  const sbom = JSON.parse(await readFile(join(venv, '..', 'venv.sbom.cdx.json'), 'utf8')) as { components: { name: string }[] };
  // The SBOM is read from the installed metadata; check it against site-packages itself.
  expect((await readdir(site)).filter((d) => /\.(dist|egg)-info$/.test(d)).length).toBe(sbom.components.length);
  return sbom.components.map((c) => c.name.toLowerCase().replace(/[-_.]+/g, '-')).sort();
}

const wheelRequests = () => server.requests.filter((p) => p.endsWith('.whl'));

test('Flask + gunicorn from requirements.txt; console scripts work; SBOM lists every distribution', async () => {
  const { app, image, venv } = await setup({ 'requirements.txt': 'flask==2.2.2\ngunicorn\n', 'wsgi.py': WSGI });
  const build = await image.build(app, { PIP_INDEX_URL: index });
  expect(build.output).toContain('Installing from requirements.txt.');
  expect(build.output).toContain("Running 'pip install --no-input --progress-bar off -r requirements.txt'");
  expect(build.output).not.toContain('adding gunicorn');
  expect(build.exitCode).toBe(0);
  expect(await installed(venv)).toEqual(expect.arrayContaining(['flask', 'gunicorn', 'werkzeug', 'jinja2']));
  const version = await execa(join(venv, 'bin', 'gunicorn'), ['--version'], { env: scrubbedEnv(image.home), extendEnv: false });
  expect(version.stdout).toContain('gunicorn (version 20.1.0)');
  const sbom = JSON.parse(await readFile(join(venv, '..', 'venv.sbom.cdx.json'), 'utf8'));
  expect(sbom.components).toEqual(
    expect.arrayContaining([expect.objectContaining({ name: 'Flask', version: '2.2.2', purl: 'pkg:pypi/flask@2.2.2' })]),
  );
  // Spec assertion 43: images carry a 1980 mtime on every file, so launch layers' .pyc files must be hash-based.
  for (const layer of [venv, join(venv, '..', 'cpython')]) {
    const pycs = (await filesUnder(layer)).filter((f) => f.endsWith('.pyc'));
    expect(pycs.length).toBeGreaterThan(100);
    expect(await timestampPycs(layer)).toEqual([]);
  }

  const before = server.requests.length;
  const port = server.port;
  await server.close();
  try {
    const again = await image.build(app, { PIP_INDEX_URL: index });
    expect(again.output).toContain('Using the cached virtual environment: its inputs are unchanged, so pip does not run.');
    expect(again.output).not.toContain("Running 'pip");
    expect(again.exitCode).toBe(0);
  } finally {
    server = await startFixtureServer(fixtures.dir, { port });
  }
  expect(server.requests.length).toBe(0);
  expect(before).toBeGreaterThan(0);

  await writeFile(join(app, 'requirements.txt'), 'flask==2.2.2\ngunicorn\nwaitress\n');
  const added = await image.build(app, { PIP_INDEX_URL: index });
  expect(added.output).toContain('Rebuilding the virtual environment because:\n  - requirements.txt changed');
  expect(added.exitCode).toBe(0);
  expect(await installed(venv)).toContain('waitress');
  expect(wheelRequests()).toEqual(['/wheelhouse/waitress-2.1.2-py3-none-any.whl']);
});

test('a WSGI app without a server gets the pinned gunicorn; BP_PYTHON_SERVER picks another or none', async () => {
  const { app, image, venv } = await setup({ 'requirements.txt': 'flask\n', 'wsgi.py': WSGI });
  const build = await image.build(app, { PIP_INDEX_URL: index });
  expect(build.output).toContain('adding gunicorn==20.1.0');
  expect(await installed(venv)).toContain('gunicorn');
  const waitress = await image.build(app, { PIP_INDEX_URL: index, BP_PYTHON_SERVER: 'waitress' });
  expect(waitress.output).toContain('adding waitress (BP_PYTHON_SERVER)');
  expect(await installed(venv)).toEqual(expect.arrayContaining(['waitress']));
  expect(await installed(venv)).not.toContain('gunicorn');
  const none = await image.build(app, { PIP_INDEX_URL: index, BP_PYTHON_SERVER: 'none' });
  expect(none.output).toContain('[Error: No WSGI server is installed]');
});

test('Django + whitenoise', async () => {
  const { app, image, venv } = await setup({ 'requirements.txt': 'Django==3.2.25\nwhitenoise\ngunicorn\n', 'app.py': '' });
  expect((await image.build(app, { PIP_INDEX_URL: index })).exitCode).toBe(0);
  expect(await installed(venv)).toEqual(expect.arrayContaining(['django', 'whitenoise', 'asgiref', 'sqlparse', 'pytz']));
});

test.each([
  [
    'pyproject.toml',
    {
      'pyproject.toml':
        '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "hello-app"\nversion = "1.0"\ndependencies = ["waitress"]\n\n[tool.setuptools]\npy-modules = ["hello"]\n',
      'hello.py': 'X = 1\n',
      'app.py': '',
    },
  ],
  [
    'setup.py',
    {
      'setup.py':
        'from setuptools import setup\nsetup(name="hello-app", version="1.0", py_modules=["hello"], install_requires=["waitress"])\n',
      'hello.py': 'X = 1\n',
      'app.py': '',
    },
  ],
])('an app installed as a project from %s is rebuilt every time', async (file, files) => {
  const { app, image, venv } = await setup(files);
  const first = await image.build(app, { PIP_INDEX_URL: index });
  expect(first.output).toContain(`installing the app as a project from ${file} ('pip install .')`);
  expect(first.exitCode).toBe(0);
  expect(await installed(venv)).toEqual(expect.arrayContaining(['hello-app', 'waitress']));
  const second = await image.build(app, { PIP_INDEX_URL: index });
  expect(second.output).toContain("is installed from the app's own source, so a kept venv could be stale");
  expect(second.exitCode).toBe(0);
});

test('-r includes, -e . of the app, environment markers and --require-hashes', async () => {
  const { app, image, venv } = await setup({
    'requirements.txt': '-r base.txt\n-e .\nnot-a-real-package ; python_version < "3.0"\n',
    'base.txt': 'waitress==2.1.2\n',
    'setup.py': 'from setuptools import setup\nsetup(name="edit-app", version="1.0", py_modules=["hello"])\n',
    'hello.py': 'X = 1\n',
    'app.py': '',
  });
  const build = await image.build(app, { PIP_INDEX_URL: index });
  expect(build.output).toContain('Editable installs of . point at the app source');
  expect(build.exitCode).toBe(0);
  expect(await installed(venv)).toEqual(expect.arrayContaining(['waitress', 'edit-app']));
  // The include is part of the reuse key: changing it rebuilds.
  await writeFile(join(app, 'base.txt'), 'waitress==2.1.2\nitsdangerous\n');
  expect((await image.build(app, { PIP_INDEX_URL: index })).output).toContain('  - base.txt changed');

  const sha = (await readFile(join(fixtures.dir, 'MANIFEST.txt'), 'utf8')).match(
    /^([0-9a-f]{64}) \d+ waitress-2\.1\.2-py3-none-any\.whl$/m,
  )?.[1];
  expect(sha).toMatch(/^[0-9a-f]{64}$/);
  const hashed = await setup({ 'requirements.txt': `--require-hashes\nwaitress==2.1.2 --hash=sha256:${sha}\n`, 'app.py': '' });
  expect((await hashed.image.build(hashed.app, { PIP_INDEX_URL: index })).exitCode).toBe(0);
  const wrong = await setup({ 'requirements.txt': `waitress==2.1.2 --hash=sha256:${'0'.repeat(64)}\n`, 'app.py': '' });
  const refused = await wrong.image.build(wrong.app, { PIP_INDEX_URL: index });
  expect(refused.output).toContain('[Error: Package hashes do not match]');
  expect(refused.exitCode).not.toBe(0);
});

test('a vendored wheelhouse installs with the index down', async () => {
  const { app, image, venv } = await setup({ 'requirements.txt': 'flask\ngunicorn\n', 'wsgi.py': WSGI });
  await mkdir(join(app, 'vendor'));
  for (const whl of (await readdir(fixtures.wheelhouse)).filter((f) =>
    /^(Flask|Werkzeug|Jinja2|MarkupSafe|itsdangerous|click|gunicorn|setuptools)-/.test(f),
  )) {
    await copyFile(join(fixtures.wheelhouse, whl), join(app, 'vendor', whl));
  }
  const build = await image.build(app, { PIP_INDEX_URL: 'http://127.0.0.1:9/simple/' });
  expect(build.output).toContain('Using the wheelhouse in vendor with --no-index');
  expect(build.exitCode).toBe(0);
  expect(await installed(venv)).toEqual(expect.arrayContaining(['flask', 'gunicorn']));
});

describe('errors: titled, naming the file, quoting pip, no venv.toml left', () => {
  test.each<[string, Record<string, string>, Record<string, string>, RegExp]>([
    ['unknown package', { 'requirements.txt': 'flask\nno-such-package-here\n' }, {}, /\[Error: Package not found: no-such-package-here\]/],
    [
      'unsatisfiable version',
      { 'requirements.txt': 'flask==99.0\n' },
      {},
      /\[Error: No version of flask==99\.0 matches\][\s\S]*Available: 2\.2\.2/,
    ],
    [
      'conflicting versions',
      { 'requirements.txt': 'flask==2.2.2\nflask<2.2\n' },
      {},
      /\[Error: The requirements conflict with each other\][\s\S]*The user requested flask<2\.2/,
    ],
    [
      'index unreachable',
      { 'requirements.txt': 'flask\n' },
      { PIP_INDEX_URL: 'http://127.0.0.1:9/simple/', PIP_RETRIES: '0' },
      /\[Error: Can't reach the package index\]/,
    ],
    [
      'malformed line',
      { 'requirements.txt': 'flask\nthis is not valid!\n' },
      {},
      /\[Error: Invalid requirement: this is not valid!\][\s\S]*line 2 of requirements\.txt/,
    ],
    [
      'a package whose build fails',
      { 'requirements.txt': './badpkg\n', 'badpkg/setup.py': 'raise SystemExit("boom: this package cannot be built")\n' },
      {},
      /\[Error: A package failed to build\][\s\S]*boom: this package cannot be built/,
    ],
  ])('%s', async (_name, files, env, expected) => {
    const dir = join(work, `err-${++n}`);
    const app = await writeApp(join(dir, 'app'), { ...files, 'app.py': '' });
    const platform = join(dir, 'platform');
    await mkdir(join(platform, 'env'), { recursive: true });
    for (const [k, v] of Object.entries({ PIP_CONFIG_FILE: '/dev/null', PIP_TRUSTED_HOST: '127.0.0.1', PIP_INDEX_URL: index, ...env }))
      await writeFile(join(platform, 'env', k), v);
    const layers = join(dir, 'layers');
    const result = await runBinBuild({ buildpack: bp, app, layers, platform, home: join(dir, 'home') });
    expect(result.output).toMatch(expected);
    expect(result.output).toContain("pip's last lines:");
    expect(result.exitCode).not.toBe(0);
    expect(existsSync(join(layers, 'venv.toml'))).toBe(false);
    expect(existsSync(join(layers, 'venv'))).toBe(false);
  });

  test('PIP_TARGET is refused before anything is installed', async () => {
    const { app, image } = await setup({ 'requirements.txt': 'flask\n', 'app.py': '' });
    const result = await image.build(app, { PIP_INDEX_URL: index, PIP_TARGET: '/tmp/elsewhere' });
    expect(result.output).toContain('[Error: Unsupported environment variables are set]');
    expect(result.output).not.toContain('[Installing Python]');
    expect(result.exitCode).not.toBe(0);
  });
});

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

test('credentials from a pip binding reach pip only: no launch layer, image file or launch env holds them', async () => {
  const secret = 'pw-9f8e7d6c5b4a';
  // A task process, not web: a web that exits at once is an error of its own.
  const { app, image } = await setup({
    'requirements.txt': 'flask\n',
    'show_env.py': 'import os\nprint(sorted(os.environ.items()))\n',
    Procfile: 'show-env: python show_env.py\n',
  });
  const binding = join(image.platform, 'bindings', 'private-index');
  await mkdir(binding, { recursive: true });
  await writeFile(join(binding, 'type'), 'pip');
  await writeFile(join(binding, 'index-url'), index);
  await writeFile(join(binding, 'username'), 'builder');
  await writeFile(join(binding, 'password'), secret);
  const build = await image.build(app);
  expect(build.exitCode).toBe(0);
  expect(build.output).not.toContain(secret);
  const layers = join(image.layers, 'pywarp_python');
  const launchLayers = ['cpython', 'venv', 'launcher'];
  const imageFiles = [
    ...(await Promise.all(launchLayers.map((l) => filesUnder(join(layers, l))))).flat(),
    // launch.toml, the layers' metadata and SBOMs
    ...(await readdir(layers)).filter((f) => f.endsWith('.toml') || f.endsWith('.json')).map((f) => join(layers, f)),
    ...(await filesUnder(join(image.layers, 'config'))),
    ...(await filesUnder(app)),
  ];
  expect(imageFiles.length).toBeGreaterThan(100);
  for (const file of imageFiles) expect([file, (await readFile(file)).includes(secret)]).toEqual([file, false]);
  const run = await image.run(app, { process: 'show-env' });
  expect(run.exitCode).toBe(0);
  expect(run.output).toContain('VIRTUAL_ENV');
  expect(run.output).not.toContain(secret);
});
