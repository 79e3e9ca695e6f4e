import type { BuildError } from '../../output/build-error.js';
import { readPylock } from './pylock.js';
import { input, pins, sha } from './test-support.js';
import { failureText } from '../../output/messages.js';

const wheel = (file: string) =>
  `{ name = "${file}", url = "https://files.pythonhosted.org/packages/ab/${file}", size = 100, hashes = { sha256 = "${sha(file)}" } }`;
const pkg = (name: string, version: string, extra = '') => `
[[packages]]
name = "${name}"
version = "${version}"
index = "https://pypi.org/simple"
${extra}
wheels = [${wheel(`${name}-${version}-py3-none-any.whl`)}]
`;

const LOCK = `lock-version = "1.0"
requires-python = ">=3.9"
environments = ["sys_platform == 'linux'", "sys_platform == 'win32'"]
extras = ["postgres"]
dependency-groups = ["dev"]
default-groups = ["default"]
created-by = "uv"
${pkg('flask', '2.2.2')}
${pkg('colorama', '0.4.6', `marker = "sys_platform == 'win32'"`)}
${pkg('pytest', '7.4.0', `marker = "'dev' in dependency_groups"`)}
${pkg('psycopg2', '2.9.9', `marker = "'postgres' in extras"`)}
${pkg('waitress', '2.1.2', `marker = "'default' in dependency_groups and python_version >= '3.8'"`)}

[[packages]]
name = "legacy-sdist"
version = "1.0"
sdist = { name = "legacy-sdist-1.0.tar.gz", url = "https://files.pythonhosted.org/packages/ab/legacy-sdist-1.0.tar.gz", size = 10, hashes = { sha256 = "${sha('legacy')}", sha512 = "${sha('legacy')}${sha('legacy')}" } }

[[packages]]
name = "app"
directory = { path = ".", editable = true }
`;

const read = (text: string, file = 'pylock.toml', extra: Record<string, string> = {}) =>
  readPylock(input(file, { [file]: text, ...extra }));

test('packages whose markers hold with the default groups and no extras; other markers left to pip', () => {
  const plan = read(LOCK);
  expect(pins(plan)).toEqual([
    "colorama==0.4.6 ; sys_platform == 'win32'",
    'flask==2.2.2',
    'legacy-sdist==1.0',
    "waitress==2.1.2 ; python_version >= '3.8'",
  ]);
  expect(plan.packages.find((p) => p.name === 'legacy-sdist')?.hashes).toEqual([
    `sha256:${sha('legacy')}`,
    `sha512:${sha('legacy')}${sha('legacy')}`,
  ]);
  expect(plan.localProjects).toEqual(['.']);
  expect(plan.file).toBe('pylock.toml');
});

test('a named lock file is read under its name', () => {
  expect(read(LOCK, 'pylock.prod.toml').keyFiles).toEqual(new Map([['pylock.prod.toml', LOCK]]));
});

describe('titled errors', () => {
  const title = (text: string, extra: Record<string, string> = {}) => {
    try {
      read(text, 'pylock.toml', extra);
    } catch (err) {
      return failureText((err as BuildError).failure).title;
    }
    return 'no error';
  };
  test.each<[string, string, Record<string, string>, string]>([
    [
      'a VCS package',
      `${LOCK}\n[[packages]]\nname = "lib"\nvcs = { type = "git", url = "https://github.com/me/lib.git", commit-id = "abc" }\n`,
      {},
      'pylock.toml: lib comes from git https://github.com/me/lib.git',
    ],
    [
      'a directory outside the app',
      `${LOCK}\n[[packages]]\nname = "lib"\ndirectory = { path = "../lib" }\n`,
      {},
      'pylock.toml: lib comes from the directory ../lib, outside the app',
    ],
    [
      'a package without hashes',
      `${LOCK}\n[[packages]]\nname = "lib"\nversion = "1.0"\nwheels = [{ name = "lib-1.0-py3-none-any.whl", url = "https://x/lib-1.0-py3-none-any.whl" }]\n`,
      {},
      'pylock.toml records no hash for lib',
    ],
    ['a newer format', LOCK.replace('lock-version = "1.0"', 'lock-version = "2.0"'), {}, 'pylock.toml has an unsupported format version'],
    ['a Python it was not locked for', LOCK.replace('>=3.9', '>=3.12'), {}, 'pylock.toml does not allow Python 3.11.2'],
    [
      'a direct dependency it lacks',
      LOCK,
      { 'pyproject.toml': '[project]\nname = "app"\nversion = "1"\ndependencies = ["flask", "gunicorn>=20"]\n' },
      'pylock.toml is out of date; run `uv export --format pylock.toml -o pylock.toml`',
    ],
  ])('%s', (_name, text, extra, expected) => expect(title(text, extra)).toBe(expected));
  test('dependencies it has are fine', () => {
    expect(
      title(LOCK, {
        'pyproject.toml': '[project]\nname = "app"\nversion = "1"\ndependencies = ["Flask>=2", "colorama; sys_platform == \'win32\'"]\n',
      }),
    ).toBe('no error');
  });
});
