import { BuildError } from '../../output/build-error.js';
import { parseToml } from '../../cnb/toml.js';
import { pipfileHashes, readPipfileLock } from './pipfile-lock.js';
import { input, pins, sha } from './test-support.js';
import { failureText } from '../../output/messages.js';

const PIPFILE = `[[source]]
url = "https://pypi.org/simple"
verify_ssl = true
name = "pypi"

[packages]
flask = "==2.2.2"
waitress = {version = "*", markers = "sys_platform != \\"win32\\""}

[dev-packages]
pytest = "*"

[requires]
python_version = "3.11"
`;
// what Pipenv 2022.12.19 (its vendored plette, Pipfile.get_hash) computes for PIPFILE
const PIPFILE_HASH = '25a56c0321ee9cc668be19884b49fe3b4ef67b1564eb7f52e0953b0735dc1528';

const entry = (version: string, extra: Record<string, unknown> = {}) => ({
  hashes: [`sha256:${sha(`${version}a`)}`, `sha256:${sha(`${version}b`)}`],
  version: `==${version}`,
  ...extra,
});
const lock = (changes: { meta?: Record<string, unknown>; default?: Record<string, unknown> } = {}) =>
  JSON.stringify(
    {
      _meta: {
        hash: { sha256: PIPFILE_HASH },
        'pipfile-spec': 6,
        requires: { python_version: '3.11' },
        sources: [{ name: 'pypi', url: 'https://pypi.org/simple', verify_ssl: true }],
        ...changes.meta,
      },
      default: {
        click: entry('8.1.3', { markers: "python_version >= '3.7'" }),
        colorama: entry('0.4.6', { markers: "platform_system == 'Windows'" }),
        flask: entry('2.2.2', { index: 'pypi' }),
        itsdangerous: entry('2.1.2'),
        waitress: entry('2.1.2', { index: 'pypi', markers: "sys_platform != 'win32'" }),
        ...changes.default,
      },
      develop: { pytest: entry('7.4.0', { index: 'pypi' }), iniconfig: entry('2.0.0') },
    },
    null,
    4,
  );

test("Pipenv's Pipfile hash, as Pipenv computes it", () => {
  expect(pipfileHashes(parseToml(PIPFILE, 'Pipfile'))).toContain(PIPFILE_HASH);
  // without [[source]] Pipenv hashes its default source
  expect(pipfileHashes(parseToml(PIPFILE.replace(/\[\[source\]\][^[]*/, ''), 'Pipfile'))).toContain(PIPFILE_HASH);
});

test('the default section, never develop; markers kept for pip; the app is not installed as a package', () => {
  const plan = readPipfileLock(input('Pipfile.lock', { 'Pipfile.lock': lock(), Pipfile: PIPFILE }));
  expect(pins(plan)).toEqual([
    "click==8.1.3 ; python_version >= '3.7'",
    "colorama==0.4.6 ; platform_system == 'Windows'",
    'flask==2.2.2',
    'itsdangerous==2.1.2',
    "waitress==2.1.2 ; sys_platform != 'win32'",
  ]);
  expect(plan.packages.find((p) => p.name === 'flask')?.hashes).toEqual([`sha256:${sha('2.2.2a')}`, `sha256:${sha('2.2.2b')}`]);
  expect(plan.localProjects).toEqual([]);
  expect(plan.indexes).toEqual({ extraIndexUrls: [], trustedHosts: [] });
});

test('sources: the first is the index, the others are added, ${VAR} comes from the build settings', () => {
  const sources = [
    { name: 'private', url: 'https://${USER_NAME}:${TOKEN}@pypi.example.com/simple', verify_ssl: true },
    { name: 'pypi', url: 'https://pypi.org/simple', verify_ssl: true },
    { name: 'local', url: 'http://10.0.0.5/simple', verify_ssl: false },
  ];
  const plan = readPipfileLock(
    input('Pipfile.lock', { 'Pipfile.lock': lock({ meta: { sources } }) }, { USER_NAME: 'me', TOKEN: 's3cret' }),
  );
  expect(plan.indexes).toEqual({
    indexUrl: 'https://me:s3cret@pypi.example.com/simple',
    extraIndexUrls: ['http://10.0.0.5/simple'],
    trustedHosts: ['10.0.0.5'],
  });
  expect(() => readPipfileLock(input('Pipfile.lock', { 'Pipfile.lock': lock({ meta: { sources } }) }, { USER_NAME: 'me' }))).toThrow(
    new BuildError({ kind: 'lock-variable-unset', file: 'Pipfile.lock', variable: 'TOKEN' }),
  );
});

test('a path entry inside the app is installed after the locked packages', () => {
  const plan = readPipfileLock(
    input('Pipfile.lock', { 'Pipfile.lock': lock({ default: { mylib: { editable: true, path: './libs/mylib' } } }) }),
  );
  expect(plan.localProjects).toEqual(['libs/mylib']);
});

const WITH_GUNICORN = PIPFILE.replace('[packages]\n', '[packages]\ngunicorn = "*"\n');

describe('titled errors', () => {
  const title = (files: Record<string, string>) => {
    try {
      readPipfileLock(input('Pipfile.lock', files));
    } catch (err) {
      return failureText((err as BuildError).failure).title;
    }
    return 'no error';
  };
  test.each<[string, Record<string, string>, string]>([
    [
      'a Pipfile changed after locking',
      { 'Pipfile.lock': lock(), Pipfile: PIPFILE.replace('==2.2.2', '==2.3.0') },
      'Pipfile.lock is out of date; run `pipenv lock`',
    ],
    [
      'a Pipfile package missing from the lock',
      {
        'Pipfile.lock': lock({ meta: { hash: { sha256: pipfileHashes(parseToml(WITH_GUNICORN, 'Pipfile'))[0] } } }),
        Pipfile: WITH_GUNICORN,
      },
      'Pipfile.lock is out of date; run `pipenv lock`',
    ],
    [
      'a git package',
      { 'Pipfile.lock': lock({ default: { mylib: { git: 'https://github.com/me/mylib.git', ref: 'abc' } } }) },
      'Pipfile.lock: mylib comes from git https://github.com/me/mylib.git',
    ],
    [
      'no hashes',
      { 'Pipfile.lock': lock({ default: { flask: { hashes: [], version: '==2.2.2' } } }) },
      'Pipfile.lock records no hash for flask',
    ],
    [
      'an unpinned version',
      { 'Pipfile.lock': lock({ default: { flask: { hashes: [`sha256:${sha('x')}`], version: '>=2' } } }) },
      'Pipfile.lock is inconsistent',
    ],
    ['not JSON', { 'Pipfile.lock': '{' }, "Can't read Pipfile.lock"],
    ['another spec', { 'Pipfile.lock': lock({ meta: { 'pipfile-spec': 7 } }) }, 'Pipfile.lock has an unsupported format version'],
  ])('%s', (_name, files, expected) => expect(title(files)).toBe(expected));
});
