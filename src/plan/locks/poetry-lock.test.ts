import { parseToml } from '../../cnb/toml.js';
import type { BuildError } from '../../output/build-error.js';
import { poetryContentHashes, readPoetryLock } from './poetry-lock.js';
import { input, pins, sha } from './test-support.js';
import { failureText } from '../../output/messages.js';

const PYPROJECT = `[tool.poetry]
name = "app"
version = "0.1.0"
description = ""
authors = ["A <a@example.com>"]

[tool.poetry.dependencies]
python = "^3.11"
flask = "2.2.2"
requests = {version = "^2.28", extras = ["socks"]}

[tool.poetry.group.dev.dependencies]
pytest = "^7.0"
`;
// what Poetry 1.3.2 (Locker._get_content_hash) computes for PYPROJECT
const CONTENT_HASH = 'b0ad7186d6de0ff57cea122937ca175212db4720c57d52fb9dccab7e5c4ea117';

const PROJECT_PYPROJECT = `[project]
name = "app"
version = "0.1.0"
requires-python = ">=3.11"
dependencies = ["flask==2.2.2", "waitress (>=2.1) ; sys_platform != \\"win32\\""]

[tool.poetry]
package-mode = false

[tool.poetry.group.dev.dependencies]
pytest = "^7.0"
`;
// Poetry 2.x's algorithm (project keys under "project", tool.poetry under "tool") run with Python's json.dumps
const PROJECT_CONTENT_HASH = 'dc085a97ab52c6a8e1f26797a0dbfec5e0d099d2c7281275b42385686ce02f47';

interface Pkg {
  name: string;
  version: string;
  category?: string;
  optional?: boolean;
  deps?: string;
  extras?: string;
  groups?: string[];
  markers?: string;
  files?: string[];
}

const PACKAGES: Pkg[] = [
  { name: 'click', version: '8.1.3', deps: 'colorama = {version = "*", markers = "platform_system == \\"Windows\\""}' },
  { name: 'colorama', version: '0.4.6', markers: 'platform_system == "Windows"', groups: ['main', 'dev'] },
  { name: 'flask', version: '2.2.2', deps: 'click = ">=8.0"\nitsdangerous = ">=2.0"\nJinja2 = ">=3.0"' },
  { name: 'iniconfig', version: '2.0.0', category: 'dev', groups: ['dev'] },
  { name: 'itsdangerous', version: '2.1.2' },
  { name: 'jinja2', version: '3.1.2', deps: 'MarkupSafe = ">=2.0"' },
  {
    name: 'markupsafe',
    version: '2.1.2',
    files: [
      'MarkupSafe-2.1.2-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
      'MarkupSafe-2.1.2-cp311-cp311-win_amd64.whl',
      'MarkupSafe-2.1.2.tar.gz',
    ],
  },
  { name: 'pysocks', version: '1.7.1' },
  { name: 'psycopg2', version: '2.9.9', optional: true, markers: 'extra == "pg"' },
  {
    name: 'pytest',
    version: '7.4.0',
    category: 'dev',
    groups: ['dev'],
    deps: 'colorama = {version = "*", markers = "sys_platform == \\"win32\\""}\niniconfig = "*"',
  },
  {
    name: 'requests',
    version: '2.28.2',
    deps: 'idna = ">=2.5,<4"\nPySocks = {version = ">=1.5.6,<1.5.7 || >1.5.7", optional = true, markers = "extra == \\"socks\\""}\nchardet = {version = ">=3.0.2,<6", optional = true, markers = "extra == \\"use-chardet-on-py3\\""}',
    extras: 'socks = ["PySocks (>=1.5.6,!=1.5.7)"]\nuse-chardet-on-py3 = ["chardet (>=3.0.2,<6)"]',
  },
  { name: 'idna', version: '3.4' },
  { name: 'chardet', version: '5.1.0', groups: [] },
];

const filesOf = (p: Pkg) => p.files ?? [`${p.name}-${p.version}-py3-none-any.whl`, `${p.name}-${p.version}.tar.gz`];
const fileList = (p: Pkg): string =>
  `[\n${filesOf(p)
    .map((f) => `    {file = "${f}", hash = "sha256:${sha(f)}"},`)
    .join('\n')}\n]`;

function lock(format: '1.1' | '2.0' | '2.1', packages = PACKAGES, contentHash = CONTENT_HASH): string {
  const body = packages
    .map((p) =>
      [
        '[[package]]',
        `name = "${p.name}"`,
        `version = "${p.version}"`,
        'description = ""',
        ...(format === '2.1' ? [] : [`category = "${p.category ?? 'main'}"`]),
        `optional = ${p.optional ?? false}`,
        'python-versions = ">=3.7"',
        ...(format === '2.1'
          ? [`groups = ${JSON.stringify(p.groups ?? ['main'])}`, ...(p.markers ? [`markers = ${JSON.stringify(p.markers)}`] : [])]
          : []),
        ...(format === '1.1' ? [] : [`files = ${fileList(p)}`]),
        ...(p.deps ? ['', '[package.dependencies]', p.deps] : []),
        ...(p.extras ? ['', '[package.extras]', p.extras] : []),
      ].join('\n'),
    )
    .join('\n\n');
  // lock 1.1 lists the files of every version of a name under that name
  const names = [...new Set(packages.map((p) => p.name))];
  const filesByName = names.map(
    (n) =>
      `${n} = [\n${packages
        .filter((p) => p.name === n)
        .flatMap(filesOf)
        .map((f) => `    {file = "${f}", hash = "sha256:${sha(f)}"},`)
        .join('\n')}\n]`,
  );
  const files = format === '1.1' ? `\n\n[metadata.files]\n${filesByName.join('\n')}` : '';
  return `${body}\n\n[metadata]\nlock-version = "${format}"\npython-versions = "^3.11"\ncontent-hash = "${contentHash}"${files}\n`;
}

const EXPECTED = [
  'click==8.1.3',
  'colorama==0.4.6 ; platform_system == "Windows"',
  'flask==2.2.2',
  'idna==3.4',
  'itsdangerous==2.1.2',
  'jinja2==3.1.2',
  'markupsafe==2.1.2',
  'pysocks==1.7.1',
  'requests==2.28.2',
];

const read = (files: Record<string, string>) => readPoetryLock(input('poetry.lock', files));

test('content-hash: as Poetry 1.x and 2.x compute it', () => {
  expect(poetryContentHashes(parseToml(PYPROJECT, 'pyproject.toml'))).toEqual([CONTENT_HASH]);
  expect(poetryContentHashes(parseToml(PROJECT_PYPROJECT, 'pyproject.toml'))).toContain(PROJECT_CONTENT_HASH);
});

test.each(['1.1', '2.0', '2.1'] as const)(
  'lock-version %s: the main group with the extras its dependencies ask for; no dev group, no unrequested extra',
  (format) => {
    const plan = read({ 'poetry.lock': lock(format), 'pyproject.toml': PYPROJECT });
    expect(pins(plan)).toEqual(EXPECTED);
    expect(plan.packages.find((p) => p.name === 'markupsafe')?.hashes).toHaveLength(3);
    expect(plan.localProjects).toEqual([]);
  },
);

test('lock 1.1: [metadata.files] holding two versions of a package gives each its own files', () => {
  const two = [...PACKAGES, { name: 'idna', version: '2.10', category: 'dev' }];
  const plan = read({ 'poetry.lock': lock('1.1', two), 'pyproject.toml': PYPROJECT });
  expect(plan.packages.find((p) => p.name === 'idna')?.filenames).toEqual(['idna-3.4-py3-none-any.whl', 'idna-3.4.tar.gz']);
});

test('the oldest locks: bare digests in [metadata.hashes]', () => {
  const text = lock('1.1')
    .replace(/\[metadata\.files\][\s\S]*$/, `[metadata.hashes]\n${PACKAGES.map((p) => `${p.name} = ["${sha(p.name)}"]`).join('\n')}\n`)
    .replace('lock-version = "1.1"\n', '');
  const plan = read({ 'poetry.lock': text, 'pyproject.toml': PYPROJECT });
  expect(pins(plan)).toEqual(EXPECTED);
  expect(plan.packages.find((p) => p.name === 'flask')?.hashes).toEqual([`sha256:${sha('flask')}`]);
});

test('multiple-constraints dependencies: each locked version under its python_version marker', () => {
  const pyproject = PYPROJECT.replace(
    'flask = "2.2.2"',
    'flask = "2.2.2"\nnumpy = [\n    {version = "<1.25", python = "<3.12"},\n    {version = ">=1.25", python = ">=3.12"},\n]',
  );
  const hash = poetryContentHashes(parseToml(pyproject, 'pyproject.toml'))[0];
  const packages = [...PACKAGES, { name: 'numpy', version: '1.24.4' }, { name: 'numpy', version: '1.26.4' }];
  const plan = read({ 'poetry.lock': lock('2.0', packages, hash), 'pyproject.toml': pyproject });
  expect(pins(plan)).toEqual(
    expect.arrayContaining(['numpy==1.24.4 ; python_full_version < "3.12"', 'numpy==1.26.4 ; python_full_version >= "3.12"']),
  );
});

test('[project] dependencies (Poetry 2); package-mode = false is not installed, a package with a build system is', () => {
  const packages: Pkg[] = [
    { name: 'flask', version: '2.2.2' },
    { name: 'waitress', version: '2.1.2' },
    { name: 'pytest', version: '7.4.0', category: 'dev' },
  ];
  const plan = read({ 'poetry.lock': lock('2.0', packages, PROJECT_CONTENT_HASH), 'pyproject.toml': PROJECT_PYPROJECT });
  expect(pins(plan)).toEqual(['flask==2.2.2', 'waitress==2.1.2 ; sys_platform != "win32"']);
  expect(plan.localProjects).toEqual([]);
  const packaged = `${PYPROJECT}\n[build-system]\nrequires = ["poetry-core"]\nbuild-backend = "poetry.core.masonry.api"\n`;
  expect(read({ 'poetry.lock': lock('2.1'), 'pyproject.toml': packaged }).localProjects).toEqual(['.']);
});

test('packages from a private source: its URL is the index', () => {
  const text = lock('2.0').replaceAll(
    'python-versions = ">=3.7"',
    'python-versions = ">=3.7"\n\n[package.source]\ntype = "legacy"\nurl = "https://pypi.example.com/simple"\nreference = "private"',
  );
  // [package.source] must come after the package's own keys: move files before it
  const plan = read({
    'poetry.lock': text.replace(/\n\n\[package\.source\]\n([^\n]*\n[^\n]*\n[^\n]*)\n(files = \[[^\]]*\])/g, '\n$2\n\n[package.source]\n$1'),
    'pyproject.toml': PYPROJECT,
  });
  expect(plan.indexes).toEqual({ indexUrl: 'https://pypi.example.com/simple', extraIndexUrls: [], trustedHosts: [] });
});

describe('titled errors', () => {
  const title = (files: Record<string, string>) => {
    try {
      read(files);
    } catch (err) {
      return failureText((err as BuildError).failure).title;
    }
    return 'no error';
  };
  test.each<[string, Record<string, string>, string]>([
    [
      'pyproject.toml changed',
      { 'poetry.lock': lock('2.0'), 'pyproject.toml': PYPROJECT.replace('flask = "2.2.2"', 'flask = "2.3.0"') },
      'poetry.lock is out of date; run `poetry lock`',
    ],
    [
      'no content-hash',
      { 'poetry.lock': lock('2.0').replace(/content-hash = .*\n/, ''), 'pyproject.toml': PYPROJECT },
      'poetry.lock is out of date; run `poetry lock`',
    ],
    [
      'a dependency the lock lacks',
      {
        'poetry.lock': lock(
          '2.0',
          PACKAGES.filter((p) => p.name !== 'flask'),
        ),
        'pyproject.toml': PYPROJECT,
      },
      'poetry.lock is out of date; run `poetry lock`',
    ],
    ['no pyproject.toml', { 'poetry.lock': lock('2.0') }, 'poetry.lock is out of date; run `poetry lock`'],
    [
      'a git package',
      {
        'poetry.lock': lock('2.0').replace(
          'name = "idna"\nversion = "3.4"\ndescription = ""\ncategory = "main"\noptional = false\npython-versions = ">=3.7"\nfiles = [\n    {file = "idna-3.4-py3-none-any.whl", hash = "sha256:' +
            sha('idna-3.4-py3-none-any.whl') +
            '"},\n    {file = "idna-3.4.tar.gz", hash = "sha256:' +
            sha('idna-3.4.tar.gz') +
            '"},\n]',
          'name = "idna"\nversion = "3.4"\ndescription = ""\ncategory = "main"\noptional = false\npython-versions = ">=3.7"\nfiles = []\n\n[package.source]\ntype = "git"\nurl = "https://github.com/kjd/idna.git"\nreference = "v3.4"\nresolved_reference = "abc"',
        ),
        'pyproject.toml': PYPROJECT,
      },
      'poetry.lock: idna comes from git https://github.com/kjd/idna.git',
    ],
    [
      'a lock format from the future',
      { 'poetry.lock': lock('2.0').replace('lock-version = "2.0"', 'lock-version = "3.0"'), 'pyproject.toml': PYPROJECT },
      'poetry.lock has an unsupported format version',
    ],
    [
      'a Python the lock excludes',
      { 'poetry.lock': lock('2.0').replace('python-versions = "^3.11"', 'python-versions = "^3.12"'), 'pyproject.toml': PYPROJECT },
      'poetry.lock does not allow Python 3.11.2',
    ],
  ])('%s', (_name, files, expected) => expect(title(files)).toBe(expected));
});
