import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { applyEnvFiles, envDirName, layerEnvFiles, readEnvDir, writeLayerEnv, type EnvEntry } from './layer-env.js';

const ENV_FILE_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.(append|default|delim|override|prepend))?$/;
const ENV_DIR = /^(env|env\.build|env\.launch|env\.launch\/[A-Za-z0-9._-]+)$/;

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pywarp-layer-env-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const files = (entries: EnvEntry[]) => Object.fromEntries(layerEnvFiles(entries));

describe('envDirName (assertion 44)', () => {
  test.each([
    ['all', 'env'],
    ['build', 'env.build'],
    ['launch', 'env.launch'],
    [{ process: 'web' }, 'env.launch/web'],
  ] as const)('%j → %s', (scope, dir) => expect(envDirName(scope)).toBe(dir));

  test.each(['', '.', '..', '../x', 'a/b'])('process type %j is refused: it would leave env.launch/', (process) => {
    expect(() => envDirName({ process })).toThrow(/not a valid process type/);
  });

  test('a type the lifecycle accepts but the spec does not is still readable (spec D3)', () => {
    expect(envDirName({ process: 'my web' })).toBe('env.launch/my web');
  });
});

describe('layerEnvFiles', () => {
  test.each<[EnvEntry, Record<string, string>]>([
    [{ scope: 'all', action: 'override', name: 'A', value: '1' }, { 'env/A.override': '1' }],
    [{ scope: 'build', action: 'default', name: 'PIP_NO_CACHE_DIR', value: '1' }, { 'env.build/PIP_NO_CACHE_DIR.default': '1' }],
    [{ scope: 'launch', action: 'default', name: 'PORT', value: '8000' }, { 'env.launch/PORT.default': '8000' }],
    [{ scope: { process: 'web' }, action: 'override', name: 'W', value: 'x' }, { 'env.launch/web/W.override': 'x' }],
    [
      { scope: 'all', action: 'prepend', name: 'PYTHONPATH', value: '/p', delim: ':' },
      { 'env/PYTHONPATH.prepend': '/p', 'env/PYTHONPATH.delim': ':' },
    ],
    [
      { scope: 'build', action: 'append', name: 'CPATH', value: '/i', delim: ':' },
      { 'env.build/CPATH.append': '/i', 'env.build/CPATH.delim': ':' },
    ],
    // An empty delimiter is still written: it documents the intent to glue (assertion 46).
    [
      { scope: 'all', action: 'append', name: 'FLAGS', value: '-x', delim: '' },
      { 'env/FLAGS.append': '-x', 'env/FLAGS.delim': '' },
    ],
  ])('%j', (entry, expected) => expect(files([entry])).toEqual(expected));

  test('prepend and append always come with a .delim in the same directory (assertion 46)', () => {
    const out = layerEnvFiles([
      { scope: 'all', action: 'prepend', name: 'P', value: 'a', delim: ':' },
      { scope: 'launch', action: 'append', name: 'Q', value: 'b', delim: ' ' },
      { scope: { process: 'worker' }, action: 'prepend', name: 'R', value: 'c', delim: ',' },
    ]);
    for (const file of out.keys()) {
      const m = /^(.*)\/([A-Za-z_][A-Za-z0-9_]*)\.(prepend|append)$/.exec(file);
      if (m) expect(out.has(`${m[1]}/${m[2]}.delim`)).toBe(true);
    }
    expect(out.get('env.launch/worker/R.delim')).toBe(',');
  });

  test('every file sits in an env scope dir and has a valid name (assertions 44, 45)', () => {
    const out = layerEnvFiles([
      { scope: 'all', action: 'override', name: 'A', value: '1' },
      { scope: 'build', action: 'default', name: '_B2', value: '2' },
      { scope: 'launch', action: 'prepend', name: 'C', value: '3', delim: ':' },
      { scope: { process: 'web.v2_x-y' }, action: 'append', name: 'D', value: '4', delim: ':' },
    ]);
    for (const file of out.keys()) {
      expect(path.dirname(file)).toMatch(ENV_DIR);
      expect(path.basename(file)).toMatch(ENV_FILE_NAME);
    }
  });

  test('no content ends with a newline (assertion 47)', () => {
    const out = layerEnvFiles([
      { scope: 'all', action: 'override', name: 'A', value: 'x' },
      { scope: 'all', action: 'prepend', name: 'B', value: '/b', delim: ':' },
    ]);
    for (const content of out.values()) expect(content).not.toMatch(/[\r\n]$/);
  });

  test.each<EnvEntry>([
    { scope: 'all', action: 'override', name: 'A', value: 'x\n' },
    { scope: 'all', action: 'default', name: 'A', value: 'x\r' },
    { scope: 'all', action: 'prepend', name: 'A', value: '/x', delim: ':\n' },
  ])('a value or delimiter ending in a newline is refused (assertion 47): %j', (entry) => {
    expect(() => layerEnvFiles([entry])).toThrow(/newline/);
  });

  test('a newline inside a value is kept verbatim', () => {
    expect(files([{ scope: 'all', action: 'override', name: 'A', value: 'a\nb' }])).toEqual({ 'env/A.override': 'a\nb' });
  });

  test.each(['', '1ABC', 'A-B', 'A.B', 'A B', 'É', 'PATH/x'])('invalid name %j is refused (assertion 45)', (name) => {
    expect(() => layerEnvFiles([{ scope: 'all', action: 'override', name, value: 'x' }])).toThrow(/not a valid environment variable name/);
  });

  test('the same file twice is refused', () => {
    expect(() =>
      layerEnvFiles([
        { scope: 'all', action: 'override', name: 'A', value: '1' },
        { scope: 'all', action: 'override', name: 'A', value: '2' },
      ]),
    ).toThrow(/set twice/);
  });

  test('the same name in different scopes or actions is fine', () => {
    expect(
      files([
        { scope: 'all', action: 'override', name: 'A', value: '1' },
        { scope: 'build', action: 'override', name: 'A', value: '2' },
        { scope: 'all', action: 'default', name: 'A', value: '3' },
      ]),
    ).toEqual({ 'env/A.override': '1', 'env.build/A.override': '2', 'env/A.default': '3' });
  });

  test('prepend and append of one name share one delimiter', () => {
    expect(
      files([
        { scope: 'all', action: 'prepend', name: 'P', value: 'a', delim: ':' },
        { scope: 'all', action: 'append', name: 'P', value: 'z', delim: ':' },
      ]),
    ).toEqual({ 'env/P.prepend': 'a', 'env/P.append': 'z', 'env/P.delim': ':' });
    expect(() =>
      layerEnvFiles([
        { scope: 'all', action: 'prepend', name: 'P', value: 'a', delim: ':' },
        { scope: 'all', action: 'append', name: 'P', value: 'z', delim: ';' },
      ]),
    ).toThrow(/two delimiters/);
  });

  test.each(['..', '../../bin', 'my web', 'a:b', ''])('an entry for process type %j is refused (assertion 44)', (process) => {
    expect(() => layerEnvFiles([{ scope: { process }, action: 'override', name: 'A', value: '1' }])).toThrow(/not a valid process type/);
  });
});

describe('writeLayerEnv', () => {
  test('writes every file, byte for byte, under the layer', async () => {
    await writeLayerEnv(tmp, [
      { scope: 'all', action: 'prepend', name: 'PYTHONPATH', value: '/lib/py', delim: ':' },
      { scope: 'build', action: 'default', name: 'PIP_DISABLE_PIP_VERSION_CHECK', value: '1' },
      { scope: 'launch', action: 'default', name: 'PORT', value: '8000' },
      { scope: { process: 'web' }, action: 'override', name: 'WEB_CONCURRENCY', value: '2' },
    ]);
    expect((await readdir(tmp)).sort()).toEqual(['env', 'env.build', 'env.launch']);
    expect((await readdir(path.join(tmp, 'env'))).sort()).toEqual(['PYTHONPATH.delim', 'PYTHONPATH.prepend']);
    expect(await readFile(path.join(tmp, 'env/PYTHONPATH.prepend'), 'utf8')).toBe('/lib/py');
    expect(await readFile(path.join(tmp, 'env/PYTHONPATH.delim'), 'utf8')).toBe(':');
    expect(await readFile(path.join(tmp, 'env.build/PIP_DISABLE_PIP_VERSION_CHECK.default'), 'utf8')).toBe('1');
    expect(await readFile(path.join(tmp, 'env.launch/PORT.default'), 'utf8')).toBe('8000');
    expect(await readFile(path.join(tmp, 'env.launch/web/WEB_CONCURRENCY.override'), 'utf8')).toBe('2');
  });

  test('writes nothing when an entry is invalid', async () => {
    await expect(
      writeLayerEnv(tmp, [
        { scope: 'all', action: 'override', name: 'GOOD', value: '1' },
        { scope: 'all', action: 'override', name: 'BAD-NAME', value: '1' },
      ]),
    ).rejects.toThrow();
    expect(await readdir(tmp)).toEqual([]);
  });

  test('what it writes reads back and applies as intended', async () => {
    await writeLayerEnv(tmp, [
      { scope: 'all', action: 'prepend', name: 'PATH', value: '/layer/bin', delim: ':' },
      { scope: 'all', action: 'default', name: 'LANG', value: 'C.UTF-8' },
    ]);
    const env: Record<string, string> = { PATH: '/usr/bin', LANG: 'en_US.UTF-8' };
    applyEnvFiles(env, await readEnvDir(path.join(tmp, 'env')));
    expect(env).toEqual({ PATH: '/layer/bin:/usr/bin', LANG: 'en_US.UTF-8' });
  });
});

describe('applyEnvFiles (spec §4.5)', () => {
  const apply = (start: Record<string, string>, fileMap: Record<string, string>) => {
    const env = { ...start };
    applyEnvFiles(env, new Map(Object.entries(fileMap)));
    return env;
  };

  test.each<[string, Record<string, string>, Record<string, string>, Record<string, string>]>([
    ['bare overrides', { A: 'old' }, { A: 'new' }, { A: 'new' }],
    ['bare sets an unset var', {}, { A: 'new' }, { A: 'new' }],
    ['.override overrides', { A: 'old' }, { 'A.override': 'new' }, { A: 'new' }],
    ['.override may set an empty value', { A: 'old' }, { 'A.override': '' }, { A: '' }],
    ['.default sets an unset var', {}, { 'A.default': 'd' }, { A: 'd' }],
    ['.default sets an empty var', { A: '' }, { 'A.default': 'd' }, { A: 'd' }],
    ['.default yields to a non-empty var', { A: 'user' }, { 'A.default': 'd' }, { A: 'user' }],
    ['.prepend with .delim', { P: '/usr/bin' }, { 'P.prepend': '/l/bin', 'P.delim': ':' }, { P: '/l/bin:/usr/bin' }],
    ['.append with .delim', { P: '/usr/bin' }, { 'P.append': '/l/bin', 'P.delim': ':' }, { P: '/usr/bin:/l/bin' }],
    ['.prepend without .delim glues', { P: 'b' }, { 'P.prepend': 'a' }, { P: 'ab' }],
    ['.append without .delim glues', { P: 'a' }, { 'P.append': 'b' }, { P: 'ab' }],
    ['.prepend to an unset var adds no delim', {}, { 'P.prepend': '/l/bin', 'P.delim': ':' }, { P: '/l/bin' }],
    ['.append to an empty var adds no delim', { P: '' }, { 'P.append': '/l/bin', 'P.delim': ':' }, { P: '/l/bin' }],
    ['a multi-character delim', { F: '-a' }, { 'F.append': '-b', 'F.delim': ' && ' }, { F: '-a && -b' }],
    ['an unknown suffix is ignored', { A: 'old' }, { 'A.bogus': 'x', 'A.prepend.x': 'y' }, { A: 'old' }],
    ['a lone .delim sets nothing', {}, { 'A.delim': ':' }, {}],
    ['a value is used verbatim, newline included', {}, { A: 'x\n' }, { A: 'x\n' }],
    ['the delim of another var is not used', { A: 'a' }, { 'A.append': 'b', 'B.delim': ':' }, { A: 'ab' }],
  ])('%s', (_what, start, fileMap, expected) => expect(apply(start, fileMap)).toEqual(expected));

  test.each<[string, Record<string, string>, Record<string, string>, Record<string, string>]>([
    // "A" < "A.append" < "A.default" < "A.override" < "A.prepend"
    ['bare first, then append', { A: 'u' }, { A: 'x', 'A.append': 'y', 'A.delim': ':' }, { A: 'x:y' }],
    ['append before override: override wins', { A: 'u' }, { 'A.append': 'y', 'A.override': 'z' }, { A: 'z' }],
    ['default before override: override wins on an unset var', {}, { 'A.default': 'd', 'A.override': 'o' }, { A: 'o' }],
    ['append before default: default yields to the appended value', {}, { 'A.append': 'y', 'A.default': 'd' }, { A: 'y' }],
    [
      'override before prepend: prepend sees the override',
      { A: 'u' },
      { 'A.override': 'o', 'A.prepend': 'p', 'A.delim': ':' },
      { A: 'p:o' },
    ],
  ])('files apply in file-name order: %s', (_what, start, fileMap, expected) => expect(apply(start, fileMap)).toEqual(expected));

  test('the Map insertion order does not matter', () => {
    const env: Record<string, string> = {};
    applyEnvFiles(
      env,
      new Map([
        ['A.override', 'o'],
        ['A.default', 'd'],
      ]),
    );
    expect(env).toEqual({ A: 'o' });
  });

  test('other variables are left alone', () => {
    expect(apply({ KEEP: 'k', A: 'a' }, { 'A.override': 'b' })).toEqual({ KEEP: 'k', A: 'b' });
  });
});

describe('readEnvDir', () => {
  test('a missing dir has no files', async () => {
    expect(await readEnvDir(path.join(tmp, 'nope'))).toEqual(new Map());
  });

  test('reads regular files verbatim and skips directories', async () => {
    const dir = path.join(tmp, 'env.launch');
    await mkdir(path.join(dir, 'web'), { recursive: true });
    await writeFile(path.join(dir, 'A.default'), 'a\n');
    await writeFile(path.join(dir, 'B'), '');
    await writeFile(path.join(dir, 'web', 'C'), 'c');
    expect(await readEnvDir(dir)).toEqual(
      new Map([
        ['A.default', 'a\n'],
        ['B', ''],
      ]),
    );
  });

  test('a file in place of the dir is an error, not "no files"', async () => {
    await writeFile(path.join(tmp, 'env'), 'x');
    await expect(readEnvDir(path.join(tmp, 'env'))).rejects.toThrow();
  });
});
