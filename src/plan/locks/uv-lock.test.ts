import { BuildError } from '../../output/build-error.js';
import { requirementsText } from './requirements-text.js';
import { input, pins, sha } from './test-support.js';
import { readUvLock } from './uv-lock.js';
import { failureText } from '../../output/messages.js';

const PYPI = 'source = { registry = "https://pypi.org/simple" }';
const wheel = (file: string) =>
  `{ url = "https://files.pythonhosted.org/packages/ab/cd/${file}", hash = "sha256:${sha(file)}", size = 100 }`;
const pkg = (name: string, version: string, extra = '') => `
[[package]]
name = "${name}"
version = "${version}"
${PYPI}
sdist = { url = "https://files.pythonhosted.org/packages/ab/cd/${name}-${version}.tar.gz", hash = "sha256:${sha(`${name}${version}sdist`)}", size = 10 }
wheels = [
    ${wheel(`${name}-${version}-py3-none-any.whl`)},
]
${extra}`;

const PYPROJECT = `[project]
name = "app"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = ["flask>=2.2", "colorama; sys_platform == 'win32'", "asgiref>=3.4", "requests[socks]==2.28.2", "legacy-sdist"]

[project.optional-dependencies]
postgres = ["psycopg2"]

[dependency-groups]
dev = ["pytest>=7"]

[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"
`;

const ROOT = (source = 'editable = "."') => `
[[package]]
name = "app"
version = "0.1.0"
source = { ${source} }
dependencies = [
    { name = "flask" },
    { name = "colorama", marker = "sys_platform == 'win32'" },
    { name = "asgiref", version = "3.4.1", source = { registry = "https://pypi.org/simple" }, marker = "python_full_version < '3.11'" },
    { name = "asgiref", version = "3.6.0", source = { registry = "https://pypi.org/simple" }, marker = "python_full_version >= '3.11'" },
    { name = "requests", extra = ["socks"] },
    { name = "legacy-sdist" },
]

[package.optional-dependencies]
postgres = [
    { name = "psycopg2" },
]

[package.dev-dependencies]
dev = [
    { name = "pytest" },
]

[package.metadata]
requires-dist = [
    { name = "asgiref", specifier = ">=3.4" },
    { name = "colorama", marker = "sys_platform == 'win32'" },
    { name = "flask", specifier = ">=2.2" },
    { name = "legacy-sdist" },
    { name = "psycopg2", marker = "extra == 'postgres'" },
    { name = "requests", extras = ["socks"], specifier = "==2.28.2" },
]
provides-extras = ["postgres"]

[package.metadata.requires-dev]
dev = [{ name = "pytest", specifier = ">=7" }]
`;

const LOCK = (root = ROOT()) => `version = 1
revision = 2
requires-python = ">=3.9"
resolution-markers = [
    "python_full_version >= '3.11'",
    "python_full_version < '3.11'",
]
${root}
${pkg('asgiref', '3.4.1', `resolution-markers = [\n    "python_full_version < '3.11'",\n]`)}
${pkg('asgiref', '3.6.0', `resolution-markers = [\n    "python_full_version >= '3.11'",\n]`)}
${pkg('click', '8.1.3', `dependencies = [\n    { name = "colorama", marker = "platform_system == 'Windows'" },\n]`)}
${pkg('colorama', '0.4.6')}
${pkg('flask', '2.2.2', `dependencies = [\n    { name = "click" },\n    { name = "itsdangerous" },\n]`)}
${pkg('itsdangerous', '2.1.2')}
${pkg('iniconfig', '2.0.0')}
${pkg('pytest', '7.4.0', `dependencies = [\n    { name = "iniconfig" },\n]`)}
${pkg('psycopg2', '2.9.9')}
${pkg('pysocks', '1.7.1')}
${pkg('requests', '2.28.2', `dependencies = [\n    { name = "idna" },\n]\n\n[package.optional-dependencies]\nsocks = [\n    { name = "pysocks" },\n]\nuse-chardet-on-py3 = [\n    { name = "chardet" },\n]`)}
${pkg('idna', '3.4')}
${pkg('chardet', '5.1.0')}

[[package]]
name = "legacy-sdist"
version = "1.0"
${PYPI}
sdist = { url = "https://files.pythonhosted.org/packages/ab/cd/legacy-sdist-1.0.tar.gz", hash = "sha256:${sha('legacy')}", size = 10 }
`;

const read = (files: Record<string, string>, python = '3.11.2', arch = 'amd64') => readUvLock(input('uv.lock', files, {}, python, arch));

test('installs the project and its dependencies: markers kept for pip, forks, extras on edges; no dev group, no unrequested extra', () => {
  const plan = read({ 'uv.lock': LOCK(), 'pyproject.toml': PYPROJECT });
  expect(pins(plan)).toEqual([
    "asgiref==3.4.1 ; python_full_version < '3.11'",
    "asgiref==3.6.0 ; python_full_version >= '3.11'",
    'click==8.1.3',
    "colorama==0.4.6 ; sys_platform == 'win32' or platform_system == 'Windows'",
    'flask==2.2.2',
    'idna==3.4',
    'itsdangerous==2.1.2',
    'legacy-sdist==1.0',
    'pysocks==1.7.1',
    'requests==2.28.2',
  ]);
  expect(plan.localProjects).toEqual(['.']);
  expect(plan.indexes).toEqual({ extraIndexUrls: [], trustedHosts: [] });
  expect(plan.packages.find((p) => p.name === 'legacy-sdist')?.hashes).toEqual([`sha256:${sha('legacy')}`]);
  expect(plan.packages.find((p) => p.name === 'flask')?.hashes).toEqual([
    `sha256:${sha('flask2.2.2sdist')}`,
    `sha256:${sha('flask-2.2.2-py3-none-any.whl')}`,
  ]);
  expect(plan.keyFiles).toEqual(new Map([['uv.lock', LOCK()]]));
  expect(requirementsText(plan)).toContain(
    `flask==2.2.2 \\\n    --hash=sha256:${sha('flask2.2.2sdist')} \\\n    --hash=sha256:${sha('flask-2.2.2-py3-none-any.whl')}\n`,
  );
});

test('a virtual project (package = false) is not installed itself', () => {
  const plan = read({ 'uv.lock': LOCK(ROOT('virtual = "."')), 'pyproject.toml': PYPROJECT });
  expect(plan.localProjects).toEqual([]);
  expect(pins(plan)).toContain('flask==2.2.2');
});

test('a virtual workspace root installs every member; members are installed with --no-deps', () => {
  const lock = `version = 1
requires-python = ">=3.9"

[manifest]
members = ["api", "lib"]

[[package]]
name = "api"
version = "1.0"
source = { editable = "services/api" }
dependencies = [{ name = "lib" }]

[[package]]
name = "lib"
version = "1.0"
source = { editable = "packages/lib" }
dependencies = [{ name = "idna" }]
${pkg('idna', '3.4')}`;
  const plan = read({ 'uv.lock': lock, 'pyproject.toml': '[tool.uv.workspace]\nmembers = ["services/*", "packages/*"]\n' });
  expect(plan.localProjects).toEqual(['packages/lib', 'services/api']);
  expect(pins(plan)).toEqual(['idna==3.4']);
});

test('an index other than PyPI becomes the index pip uses', () => {
  const lock = LOCK().replaceAll('https://pypi.org/simple', 'https://pypi.example.com/simple');
  expect(read({ 'uv.lock': lock, 'pyproject.toml': PYPROJECT }).indexes).toEqual({
    indexUrl: 'https://pypi.example.com/simple',
    extraIndexUrls: [],
    trustedHosts: [],
  });
});

test("uv's conflict markers: the project's extras and groups are not active", () => {
  const lock = `version = 1
requires-python = ">=3.9"

[[package]]
name = "app"
version = "0.1.0"
source = { virtual = "." }
dependencies = [
    { name = "idna", marker = "extra != 'extra-3-app-cpu'" },
    { name = "chardet", marker = "extra == 'extra-3-app-cpu'" },
]
${pkg('idna', '3.4')}
${pkg('chardet', '5.1.0')}`;
  expect(
    pins(read({ 'uv.lock': lock, 'pyproject.toml': '[project]\nname = "app"\nversion = "0.1.0"\ndynamic = ["dependencies"]\n' })),
  ).toEqual(['idna==3.4']);
});

describe('titled errors', () => {
  const error = (files: Record<string, string>, python?: string) => {
    try {
      read(files, python);
    } catch (err) {
      expect(err).toBeInstanceOf(BuildError);
      return failureText((err as BuildError).failure).title;
    }
    throw new Error('no error');
  };
  test.each<[string, Record<string, string>, string]>([
    [
      'a dependency added to pyproject.toml',
      { 'uv.lock': LOCK(), 'pyproject.toml': PYPROJECT.replace('"legacy-sdist"]', '"legacy-sdist", "gunicorn"]') },
      'uv.lock is out of date; run `uv lock`',
    ],
    [
      'a changed specifier',
      { 'uv.lock': LOCK(), 'pyproject.toml': PYPROJECT.replace('flask>=2.2', 'flask>=2.3') },
      'uv.lock is out of date; run `uv lock`',
    ],
    ['no pyproject.toml', { 'uv.lock': LOCK() }, 'uv.lock is out of date; run `uv lock`'],
    [
      'an edge to a package the lock lacks',
      { 'uv.lock': LOCK().replace('{ name = "idna" }', '{ name = "nope" }'), 'pyproject.toml': PYPROJECT },
      'uv.lock is out of date; run `uv lock`',
    ],
    [
      'a git source',
      {
        'uv.lock': LOCK().replace(
          `name = "idna"\nversion = "3.4"\n${PYPI}`,
          'name = "idna"\nversion = "3.4"\nsource = { git = "https://github.com/kjd/idna?rev=v3.4#abc" }',
        ),
        'pyproject.toml': PYPROJECT,
      },
      'uv.lock: idna comes from git https://github.com/kjd/idna?rev=v3.4#abc',
    ],
    [
      'a directory outside the app',
      {
        'uv.lock': LOCK().replace(
          `name = "idna"\nversion = "3.4"\n${PYPI}`,
          'name = "idna"\nversion = "3.4"\nsource = { directory = "../idna" }',
        ),
        'pyproject.toml': PYPROJECT,
      },
      'uv.lock: idna comes from the directory ../idna, outside the app',
    ],
    [
      'a newer format',
      { 'uv.lock': LOCK().replace('version = 1\n', 'version = 2\n'), 'pyproject.toml': PYPROJECT },
      'uv.lock has an unsupported format version',
    ],
    ['not TOML', { 'uv.lock': 'version = = 1', 'pyproject.toml': PYPROJECT }, "Can't read uv.lock"],
  ])('%s', (_name, files, title) => expect(error(files)).toBe(title));
  test('a Python the lock does not allow', () =>
    expect(error({ 'uv.lock': LOCK(), 'pyproject.toml': PYPROJECT }, '3.8.10')).toBe('uv.lock does not allow Python 3.8.10'));
  test('a package with only wheels for other platforms', () => {
    const lock = LOCK().replace(
      pkg('idna', '3.4'),
      `\n[[package]]\nname = "idna"\nversion = "3.4"\n${PYPI}\nwheels = [\n    ${wheel('idna-3.4-cp311-cp311-win_amd64.whl')},\n    ${wheel('idna-3.4-cp311-cp311-manylinux_2_17_aarch64.whl')},\n]\n`,
    );
    expect(error({ 'uv.lock': lock, 'pyproject.toml': PYPROJECT })).toBe('idna 3.4 has no file for linux/amd64');
    expect(pins(read({ 'uv.lock': lock, 'pyproject.toml': PYPROJECT }, '3.11.2', 'arm64'))).toContain('idna==3.4');
  });
});

test('markers along a path are joined with "and", alternative paths with "or"', () => {
  const lock = LOCK().replace('{ name = "flask" },', `{ name = "flask", marker = "python_full_version >= '3.10'" },`);
  const plan = read({ 'uv.lock': lock, 'pyproject.toml': PYPROJECT });
  expect(pins(plan)).toEqual(
    expect.arrayContaining([
      "click==8.1.3 ; python_full_version >= '3.10'",
      "colorama==0.4.6 ; sys_platform == 'win32' or (platform_system == 'Windows' and python_full_version >= '3.10')",
    ]),
  );
});
