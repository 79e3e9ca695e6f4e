import { appFrom } from './app.js';
import {
  defaultVersion,
  parsePythonVersionFile,
  parseRuntimeTxt,
  readRequestedVersions,
  resolvePythonVersion,
  toSpecifier,
} from './python-version.js';
import { buildErrorOf as errorOf } from '../../test/support/build-errors.js';

const AVAILABLE = ['3.14.7', '3.14.6', '3.13.15', '3.12.14', '3.12.13', '3.11.16', '3.10.20'];
const app = (files: Record<string, string>) => appFrom('/app', files);
const resolve = (files: Record<string, string>, env?: string) =>
  resolvePythonVersion(readRequestedVersions(app(files), env).requests, AVAILABLE, 'amd64');

describe('toSpecifier', () => {
  test.each([
    ['3.12', '==3.12.*'],
    ['3.12.7', '==3.12.7'],
    ['3.12.*', '==3.12.*'],
    ['>=3.10,<3.13', '>=3.10,<3.13'],
    ['~=3.11.0', '~=3.11.0'],
    [' 3.12 ', '==3.12.*'],
    ['three', undefined],
    ['', undefined],
  ])('%j → %j', (text, expected) => expect(toSpecifier(text)).toBe(expected));
});

describe('.python-version', () => {
  test.each([
    ['3.12\n', '3.12', '==3.12.*'],
    ['3.12.7', '3.12.7', '==3.12.7'],
    ['# pinned for prod\n\n  3.11  \n', '3.11', '==3.11.*'],
    ['cpython-3.12\n', '3.12', '==3.12.*'],
    ['cpython@3.13.1', '3.13.1', '==3.13.1'],
    ['>=3.10', '>=3.10', '>=3.10'],
    ['==3.12.*', '==3.12.*', '==3.12.*'],
  ])('%j requests %s', (contents, text, specifier) => expect(parsePythonVersionFile(contents)).toMatchObject({ text, specifier }));

  test('one version per line: the first that matches wins, as uv reads it', () => {
    expect(resolve({ '.python-version': '3.8\n3.12\n3.11\n' })).toMatchObject({ version: '3.12.14', request: { text: '3.12' } });
  });

  test.each(['', 'python3.12', '3', 'system', '3.12-dev', '3.12\nsystem\n'])('%j is a titled error quoting what was found', (contents) => {
    const err = errorOf(() => parsePythonVersionFile(contents));
    expect(err.title).toBe('Invalid Python version in .python-version');
    expect(err.body).toContain('X.Y');
  });

  test('control characters are shown, not echoed raw', () => {
    expect(errorOf(() => parsePythonVersionFile('3.1\u00072')).body).toContain('3.1\uFFFD2');
  });
});

describe('runtime.txt', () => {
  test('python-X.Y.Z', () => expect(parseRuntimeTxt('python-3.12.7\n').text).toBe('3.12.7'));
  test('anything else is an error', () =>
    expect(errorOf(() => parseRuntimeTxt('3.12.7')).title).toBe('Invalid Python version in runtime.txt'));
});

describe('resolvePythonVersion', () => {
  test.each<[string, Record<string, string>, string | undefined, string, string | undefined]>([
    ['no request: newest stable minor, newest patch', {}, undefined, '3.14.7', undefined],
    ['.python-version X.Y: newest patch', { '.python-version': '3.12' }, undefined, '3.12.14', '.python-version'],
    ['.python-version X.Y.Z: exact', { '.python-version': '3.12.13' }, undefined, '3.12.13', '.python-version'],
    ['runtime.txt', { 'runtime.txt': 'python-3.11.16' }, undefined, '3.11.16', 'runtime.txt'],
    [
      'pyproject requires-python',
      { 'pyproject.toml': '[project]\nrequires-python = ">=3.10,<3.13"\n' },
      undefined,
      '3.12.14',
      'pyproject.toml',
    ],
    [
      'pyproject compatible release',
      { 'pyproject.toml': '[project]\nrequires-python = "~=3.11.0"\n' },
      undefined,
      '3.11.16',
      'pyproject.toml',
    ],
    ['Pipfile python_version', { Pipfile: '[requires]\npython_version = "3.13"\n' }, undefined, '3.13.15', 'Pipfile'],
    [
      'Pipfile python_full_version wins over python_version',
      { Pipfile: '[requires]\npython_version = "3.13"\npython_full_version = "3.12.13"\n' },
      undefined,
      '3.12.13',
      'Pipfile',
    ],
    ['uv.lock requires-python', { 'uv.lock': 'version = 1\nrequires-python = ">=3.11, <3.12"\n' }, undefined, '3.11.16', 'uv.lock'],
    ['BP_CPYTHON_VERSION', {}, '3.12.*', '3.12.14', 'BP_CPYTHON_VERSION'],
    [
      '.python-version comes before pyproject',
      { '.python-version': '3.11', 'pyproject.toml': '[project]\nrequires-python = ">=3.10"\n' },
      undefined,
      '3.11.16',
      '.python-version',
    ],
    [
      'a pyproject without requires-python requests nothing',
      { 'pyproject.toml': '[project]\nname = "x"\n' },
      undefined,
      '3.14.7',
      undefined,
    ],
  ])('%s', (_name, files, env, version, origin) => {
    const resolved = resolve(files, env);
    expect(resolved.version).toBe(version);
    expect(resolved.request?.origin).toBe(origin);
    expect(resolved.conflict).toBeUndefined();
  });

  test('two files that disagree: the first decides, and both are named', () => {
    const resolved = resolve({ '.python-version': '3.11', 'runtime.txt': 'python-3.12.13' });
    expect(resolved.version).toBe('3.11.16');
    expect(resolved.request?.origin).toBe('.python-version');
    expect(resolved.conflict?.chosen).toMatchObject({ origin: '.python-version', version: '3.11.16' });
    expect(resolved.conflict?.other).toMatchObject({ origin: 'runtime.txt', version: '3.12.13' });
  });

  test('a later file that cannot be read is ignored with a warning; the first decides', () => {
    const { requests, ignored } = readRequestedVersions(
      app({ '.python-version': '3.12\n', 'runtime.txt': '', 'pyproject.toml': '[project' }),
      undefined,
    );
    expect(requests.map((r) => r.origin)).toEqual(['.python-version']);
    expect(ignored).toEqual([
      { origin: 'runtime.txt', problem: 'Invalid Python version in runtime.txt' },
      { origin: 'pyproject.toml', problem: "Can't parse pyproject.toml" },
    ]);
  });

  test('the first source that cannot be read is an error', () => {
    expect(errorOf(() => readRequestedVersions(app({ 'runtime.txt': '', '.python-version': '' }), undefined)).title).toBe(
      'Invalid Python version in .python-version',
    );
  });

  test('BP_CPYTHON_VERSION overrides a disagreeing file and says so', () => {
    const resolved = resolve({ '.python-version': '3.11' }, '3.12');
    expect(resolved.version).toBe('3.12.14');
    expect(resolved.overridden?.origin).toBe('.python-version');
  });

  test('nothing matches: titled error listing the versions available', () => {
    const err = errorOf(() => resolve({ '.python-version': '3.8' }));
    expect(err.title).toBe('No Python version matches 3.8');
    expect(err.body).toContain('.python-version requests Python 3.8');
    expect(err.body).toContain('  3.14.7\n  3.14.6\n');
    expect(err.body).toContain('for amd64');
  });

  test.each([
    ['pyproject.toml', '[project\nrequires-python = ">=3.10"'],
    ['Pipfile', '[requires]\npython_version = '],
    ['uv.lock', 'requires-python = \n'],
  ])('%s that cannot be parsed: titled error quoting the parser', (file, contents) => {
    const err = errorOf(() => resolve({ [file]: contents }));
    expect(err.title).toBe(`Can't parse ${file}`);
    expect(err.body).toContain('not valid TOML');
  });

  test('a requires-python that is not a specifier is an error', () => {
    expect(errorOf(() => resolve({ 'pyproject.toml': '[project]\nrequires-python = "latest"\n' })).title).toBe(
      'Invalid Python version in pyproject.toml',
    );
  });

  test('an empty table has no default', () => {
    expect(errorOf(() => resolvePythonVersion([], [], 'arm64')).body).toContain('for arm64');
  });
});

test('defaultVersion picks the newest', () => expect(defaultVersion(['3.9.25', '3.14.5', '3.14.7', '3.13.15'])).toBe('3.14.7'));
