// Lock files through the whole build: each format's sample built with the local lifecycle
// against the fixture index and served on 127.0.0.1, the full scenario (markers, a fork, an
// extra, a dev group) with its SBOM, and the lock errors as titled build errors.
import { createHash } from 'node:crypto';
import { access, cp, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { MAX_APP_FILE_BYTES, readApp } from '../../src/effects/read-app.js';
import { writeApp } from '../support/apps.js';
import { useFixtureBuildpack } from '../support/fixture-buildpack.js';
import { repoRoot } from '../support/fixtures.js';
import {
  fixtureScenario,
  LOCK_SAMPLES,
  lockSample,
  poetryFiles,
  pylockFiles,
  sampleScenario,
  SCENARIO_INSTALLS,
  uvFiles,
  type LockFile,
  type Scenario,
} from '../support/lock-files.js';
import { serve } from '../support/serve.js';
import { TestImage } from '../support/pywarp.js';

jest.setTimeout(600_000);

const setup = useFixtureBuildpack('pywarp-lock-builds-');
let scenario: Scenario;

beforeAll(async () => {
  scenario = await fixtureScenario(setup.fixtures.wheelhouse);
});

const HELLO = 'from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route("/")\ndef hello():\n    return "Hello from the lock!"\n';

async function build(name: string, app: string, env: Record<string, string> = {}) {
  const image = new TestImage(join(setup.work, name), setup.bp);
  const result = await image.build(app, { PIP_INDEX_URL: `${setup.server.url}/wheelhouse/simple/`, ...env });
  return { image, ...result };
}

async function sbom(image: TestImage): Promise<{ name: string; version: string; hashes?: { alg: string; content: string }[] }[]> {
  return (JSON.parse(await readFile(join(image.layers, 'pywarp_python', 'venv.sbom.cdx.json'), 'utf8')) as { components: [] }).components;
}

describe.each(Object.entries(LOCK_SAMPLES))('samples/%s', (dir, file) => {
  test(`is what the fixture wheelhouse locks (the same hashes), and ${file} installs it, served by waitress`, async () => {
    const sample = join(repoRoot(), 'samples', dir);
    const expected = await lockSample(setup.fixtures.wheelhouse, dir as keyof typeof LOCK_SAMPLES);
    for (const [name, text] of Object.entries(expected)) expect([name, await readFile(join(sample, name), 'utf8')]).toEqual([name, text]);

    const app = join(setup.work, dir, 'app');
    await cp(sample, app, { recursive: true });
    const { image, exitCode, output } = await build(dir, app);
    expect([exitCode, output]).toEqual([0, expect.stringContaining(`Installing exactly what ${file} locks`)]);
    expect(output).toContain(`${file} locks 7 packages for this target.`);
    expect(output).toMatch(/Running 'pip install [^']*--no-deps --require-hashes -r \/tmp\/pywarp-lock-[^/]+\/locked-requirements\.txt/);
    expect(output).not.toContain('adding gunicorn');
    await serve(image, app, `Hello from ${file}!`);
  });
});

test('uv.lock: markers, a fork on the Python version, an extra and no dev group; the app itself as a package; the SBOM has the hashes; a rebuild reuses the venv', async () => {
  const app = await writeApp(join(setup.work, 'scenario', 'app'), { ...uvFiles(scenario), 'hello.py': 'X = 1\n', 'app.py': HELLO });
  const { image, exitCode, output } = await build('scenario', app);
  expect([exitCode, output]).toEqual([0, expect.stringContaining('Installing exactly what uv.lock locks (uv)')]);
  expect(output).toContain(
    'The lock installs the app itself as a package: pip installs it after the locked packages, without dependencies.',
  );
  expect(output).toMatch(/Ignoring colorama: markers .* don't match your environment/);
  expect(output).toMatch(/Ignoring waitress: markers 'python_full_version < "3\.11"' don't match your environment/);
  const components = await sbom(image);
  const names = components.map((c) => c.name.toLowerCase().replace(/[-_.]+/g, '-')).sort();
  expect(names).toEqual([...SCENARIO_INSTALLS, 'hello-app'].sort());
  const flask = components.find((c) => c.name.toLowerCase() === 'flask');
  const flaskSha = scenario.packages.find((p) => p.name === 'flask')?.files[0]?.sha256;
  expect(flask).toMatchObject({ version: '2.2.2', hashes: [{ alg: 'SHA-256', content: flaskSha }] });
  // every package from an index has the sha256 of the file pip installed, which the lock allowed
  const locked = new Set(scenario.packages.flatMap((p) => p.files.map((f) => f.sha256)));
  for (const c of components.filter((x) => x.name !== 'hello-app'))
    expect([c.name, locked.has(c.hashes?.[0]?.content ?? '')]).toEqual([c.name, true]);
  await serve(image, app, 'Hello from the lock!');

  // The app installs itself, so the venv is rebuilt; the SBOM keeps its hashes either way.
  const again = await image.build(app, { PIP_INDEX_URL: `${setup.server.url}/wheelhouse/simple/` });
  expect(again.exitCode).toBe(0);
  expect((await sbom(image)).find((c) => c.name.toLowerCase() === 'flask')?.hashes).toEqual([{ alg: 'SHA-256', content: flaskSha }]);
});

test('a Pipfile.lock without a project is kept: the next build reuses the venv and its SBOM hashes', async () => {
  const app = join(setup.work, 'reuse', 'app');
  await cp(join(repoRoot(), 'samples', 'pipenv-lock'), app, { recursive: true });
  const first = await build('reuse', app);
  expect(first.exitCode).toBe(0);
  const again = await first.image.build(app, { PIP_INDEX_URL: `${setup.server.url}/wheelhouse/simple/` });
  expect([again.exitCode, again.output]).toEqual([0, expect.stringContaining('Using the cached virtual environment')]);
  expect((await sbom(first.image)).every((c) => c.hashes?.[0]?.alg === 'SHA-256')).toBe(true);
});

test('a wrong hash in the lock: a titled error naming the package and both hashes, and nothing kept', async () => {
  const good = uvFiles(scenario);
  const flask = scenario.packages.find((p) => p.name === 'flask')?.files[0]?.sha256 as string;
  const app = await writeApp(join(setup.work, 'wrong-hash', 'app'), {
    ...good,
    'uv.lock': (good['uv.lock'] as string).replace(flask, '0'.repeat(64)),
    'hello.py': '',
    'app.py': HELLO,
  });
  const { image, exitCode, output } = await build('wrong-hash', app);
  expect(exitCode).not.toBe(0);
  expect(output).toContain('[Error: flask==2.2.2 does not match the hash in uv.lock]');
  expect(output).toContain(`flask==2.2.2: uv.lock allows sha256 ${'0'.repeat(64)}\n  but the index served ${flask}`);
  await expect(readFile(join(image.layers, 'pywarp_python', 'venv.toml'), 'utf8')).rejects.toThrow();
});

const norm = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');
const SAMPLE_INSTALLS = ['click', 'flask', 'itsdangerous', 'jinja2', 'markupsafe', 'waitress', 'werkzeug'];
const GREETING_APP =
  'from flask import Flask\n\nfrom hello import GREETING\n\napp = Flask(__name__)\n\n\n@app.route("/")\ndef hello():\n    return GREETING\n';

test('poetry.lock with package-mode = false: its dependencies are installed, the app itself is not, though it has a build backend', async () => {
  const scenario = await sampleScenario(setup.fixtures.wheelhouse, 'hello-no-package');
  const files = poetryFiles(scenario, { packageMode: false });
  expect(files['pyproject.toml']).toContain('[build-system]');
  const app = await writeApp(join(setup.work, 'package-mode', 'app'), {
    ...files,
    'hello.py': 'GREETING = "Hello from a Poetry app that is no package!"\n',
    'app.py': GREETING_APP,
  });
  const { image, exitCode, output } = await build('package-mode', app);
  expect([exitCode, output]).toEqual([0, expect.stringContaining('Installing exactly what poetry.lock locks (Poetry)')]);
  expect(output).toContain('poetry.lock locks 7 packages for this target.');
  expect(output).not.toContain('installs the app itself');
  expect(output.match(/Running 'pip install/g)).toHaveLength(1);
  expect((await sbom(image)).map((c) => norm(c.name)).sort()).toEqual(SAMPLE_INSTALLS);
  const lib = join(image.layers, 'pywarp_python', 'venv', 'lib');
  const sitePackages = join(lib, ...(await readdir(lib)).filter((d) => d.startsWith('python3')), 'site-packages');
  const installed = await readdir(sitePackages);
  expect(installed).toEqual(expect.arrayContaining(['flask', 'waitress']));
  expect(installed.filter((f) => f.startsWith('hello'))).toEqual([]);
  // served from the app's own directory: hello.py is imported from there
  await serve(image, app, 'Hello from a Poetry app that is no package!');
});

describe('wheels for other platforms, built for linux/amd64', () => {
  const aarch64 = (name: string, version: string): LockFile => ({
    file: `${name}-${version}-cp311-cp311-manylinux_2_17_aarch64.manylinux2014_aarch64.whl`,
    sha256: createHash('sha256').update(`${name}-${version} for aarch64 is not in the wheelhouse`).digest('hex'),
  });
  /** The samples' packages (waitress and the pure-Python ones universal), MarkupSafe with `files(its x86_64 wheel)`. */
  async function withMarkupsafe(project: string, files: (x86: LockFile) => LockFile[]): Promise<Scenario> {
    const s = await sampleScenario(setup.fixtures.wheelhouse, project);
    const markupsafe = s.packages.find((p) => p.name === 'markupsafe');
    if (!markupsafe?.files[0]?.file.endsWith('linux_x86_64.whl')) throw new Error('the fixture MarkupSafe is no longer an x86_64 wheel');
    markupsafe.files = files(markupsafe.files[0]);
    return s;
  }

  test.each<[string, (s: Scenario) => Record<string, string>]>([
    ['uv.lock', uvFiles],
    ['pylock.toml', pylockFiles],
  ])('%s with an aarch64 and an x86_64 wheel of MarkupSafe: pip installs the x86_64 one, and the app is served', async (file, make) => {
    const name = `platforms-${file.replace(/\W+/g, '-')}`;
    const s = await withMarkupsafe(`hello-${name}`, (x86) => [aarch64('MarkupSafe', '2.1.2'), x86]);
    const x86 = s.packages.find((p) => p.name === 'markupsafe')?.files[1] as LockFile;
    const app = await writeApp(join(setup.work, name, 'app'), {
      ...make(s),
      'hello.py': 'GREETING = "Hello on amd64!"\n',
      'app.py': GREETING_APP,
    });
    const { image, exitCode, output } = await build(name, app);
    expect([exitCode, output]).toEqual([0, expect.stringContaining(`Installing exactly what ${file} locks`)]);
    expect(output).toContain('for amd64.');
    expect(output).toContain(`/wheelhouse/${x86.file}`);
    expect(output).not.toContain('aarch64');
    const markupsafe = (await sbom(image)).find((c) => norm(c.name) === 'markupsafe');
    expect(markupsafe).toMatchObject({ version: '2.1.2', hashes: [{ alg: 'SHA-256', content: x86.sha256 }] });
    await serve(image, app, 'Hello on amd64!');
  });

  test.each<[string, (s: Scenario) => Record<string, string>]>([
    ['uv.lock', uvFiles],
    ['poetry.lock', poetryFiles],
    ['pylock.toml', pylockFiles],
  ])(
    '%s with only an aarch64 wheel of MarkupSafe: a titled error naming the package, its file and linux/amd64, before Python is installed',
    async (file, make) => {
      const name = `aarch64-only-${file.replace(/\W+/g, '-')}`;
      const only = aarch64('MarkupSafe', '2.1.2');
      const s = await withMarkupsafe(`hello-${name}`, () => [only]);
      const app = await writeApp(join(setup.work, name, 'app'), { ...make(s), 'hello.py': 'GREETING = ""\n', 'app.py': GREETING_APP });
      const { image, exitCode, output } = await build(name, app);
      expect(exitCode).not.toBe(0);
      expect(output).toContain('[Error: markupsafe 2.1.2 has no file for linux/amd64]');
      expect(output).toContain(`${file} locks markupsafe 2.1.2 with these files only:`);
      expect(output).toContain(only.file);
      expect(output).toContain('None of them installs on linux/amd64, and there is no source distribution to build.');
      expect(output).not.toContain('Installing Python');
      await expect(access(join(image.layers, 'pywarp_python', 'venv.toml'))).rejects.toThrow();
    },
  );
});

describe('titled errors before anything is installed', () => {
  const pipfile = '[[source]]\nurl = "https://pypi.org/simple"\nverify_ssl = true\nname = "pypi"\n\n[packages]\nflask = "*"\n';
  test.each<[string, () => Record<string, string>, string, string]>([
    [
      'two lock files',
      () => ({ ...uvFiles(scenario), 'requirements.txt': 'flask\n' }),
      'More than one file says how to install dependencies',
      'The app has requirements.txt, uv.lock, and each of them',
    ],
    [
      'a Pipfile without its lock',
      () => ({ Pipfile: pipfile }),
      'Pipfile has no Pipfile.lock',
      'Run `pipenv lock`, commit Pipfile.lock and build again.',
    ],
    [
      'a conda environment',
      () => ({ 'environment.yml': 'name: app\ndependencies:\n  - flask\n' }),
      'Conda environments are not supported',
      'Moving the pip part of\nenvironment.yml into a requirements.txt is usually enough.',
    ],
    [
      'a stale uv.lock',
      () => {
        const files = uvFiles(scenario);
        return { ...files, 'pyproject.toml': (files['pyproject.toml'] as string).replace('"flask==2.2.2"', '"flask==2.3.0"') };
      },
      'uv.lock is out of date; run `uv lock`',
      'pyproject.toml declares flask[]==2.3.0, which uv.lock did not record',
    ],
  ])('%s', async (name, files, title, body) => {
    const app = await writeApp(join(setup.work, 'errors', name.replace(/\W+/g, '-'), 'app'), {
      ...files(),
      'hello.py': '',
      'app.py': HELLO,
    });
    const { exitCode, output } = await build(join('errors', name.replace(/\W+/g, '-')), app);
    expect(exitCode).not.toBe(0);
    expect(output).toContain(`[Error: ${title}]`);
    expect(output).toContain(body);
    expect(output).not.toContain('Installing Python');
  });
});

test('lock files are read up to 16 MiB, other files up to 1 MiB', async () => {
  const big = `# ${'x'.repeat(2 * MAX_APP_FILE_BYTES)}\n`;
  const withLock = await writeApp(join(setup.work, 'big', 'lock'), { 'uv.lock': big });
  const read = await readApp(withLock, () => ({ files: ['uv.lock'], dirs: [] }));
  expect(
    createHash('sha256')
      .update(read.contents.get('uv.lock') ?? '')
      .digest('hex'),
  ).toBe(createHash('sha256').update(big).digest('hex'));
  const withRequirements = await writeApp(join(setup.work, 'big', 'requirements'), { 'requirements.txt': big });
  await expect(readApp(withRequirements, () => ({ files: [], dirs: [] }))).rejects.toThrow('requirements.txt is too large');
});
