import { readVenvMetadata, sha256, venvInvalidationReasons, venvMetadata } from './venv.js';

const base = {
  python: { layerPath: '/l/cpython', version: '3.12.7', sha256: 'a'.repeat(64) },
  target: { os: 'linux', arch: 'amd64' },
  keyFiles: new Map([['requirements.txt', 'flask\n']]),
  installArgs: ['--no-input', '-r', 'requirements.txt'],
  pipEnv: { PATH: '/x', PIP_INDEX_URL: 'https://user:s3cret@index.example/simple/', HOME: '/h', PIP_CACHE_DIR: '/c' },
  policy: 'server=gunicorn==23.0.0',
  salt: '1'.repeat(64),
};

test('unchanged inputs: reuse', () => {
  expect(
    venvInvalidationReasons(venvMetadata(base), venvMetadata({ ...base, pipEnv: { ...base.pipEnv, PATH: '/other', PIP_CACHE_DIR: '/d' } })),
  ).toEqual([]);
});

test('every change is named', () => {
  const next = venvMetadata({
    ...base,
    python: { ...base.python, version: '3.12.8' },
    target: { os: 'linux', arch: 'arm64' },
    keyFiles: new Map([
      ['requirements.txt', 'flask\nwaitress\n'],
      ['prod.txt', ''],
    ]),
    policy: 'server=waitress',
  });
  expect(venvInvalidationReasons(venvMetadata(base), next)).toEqual([
    'Python changed from 3.12.7 to 3.12.8',
    'the target changed from linux/amd64 to linux/arm64',
    'prod.txt is new',
    'requirements.txt changed',
    'the install options changed: no longer server=gunicorn==23.0.0; now server=waitress',
  ]);
});

test('a removed file and a new runtime archive of the same version', () => {
  const next = venvMetadata({ ...base, python: { ...base.python, sha256: 'b'.repeat(64) }, keyFiles: new Map() });
  expect(venvInvalidationReasons(venvMetadata(base), next)).toEqual([
    'the Python runtime archive changed',
    'requirements.txt is no longer used',
  ]);
});

test('credentials never reach the metadata, yet changing them changes the key', () => {
  const meta = venvMetadata(base);
  expect(JSON.stringify(meta)).not.toContain('s3cret');
  expect(meta.optionsSummary).toContain('https://***@index.example/simple/');
  const other = venvMetadata({ ...base, pipEnv: { ...base.pipEnv, PIP_INDEX_URL: 'https://user:other@index.example/simple/' } });
  expect(other.options).not.toBe(meta.options);
});

describe("the options hash is keyed with the cache's salt", () => {
  const otherCache = { ...base, salt: '2'.repeat(64) };
  const otherPassword = { pipEnv: { ...base.pipEnv, PIP_INDEX_URL: 'https://user:other@index.example/simple/' } };

  test('it differs between caches for the same inputs, and is not the unsalted sha256', () => {
    expect(venvMetadata(otherCache).options).not.toBe(venvMetadata(base).options);
    const unsalted = sha256(JSON.stringify([[['PIP_INDEX_URL', base.pipEnv.PIP_INDEX_URL]], base.installArgs, base.policy]));
    expect([venvMetadata(base).options, venvMetadata(otherCache).options]).not.toContain(unsalted);
  });

  test('a rebuild with the same cache still reuses the venv', () => {
    expect(venvInvalidationReasons(venvMetadata(base), venvMetadata({ ...base }))).toEqual([]);
  });

  test('a changed secret still invalidates it, with the same cache', () => {
    expect(venvInvalidationReasons(venvMetadata(base), venvMetadata({ ...base, ...otherPassword }))).toEqual([
      'the install options changed: a value that is kept only as a hash (a credential or an expanded variable)',
    ]);
  });

  test('a new salt (a cache from before salts, or reset) invalidates it, and says so unless something else is named', () => {
    const renewed = (next: Parameters<typeof venvMetadata>[0]) => venvInvalidationReasons(venvMetadata(base), venvMetadata(next), true);
    expect(renewed(otherCache)).toEqual([
      'the cache has a new salt for the hash of credentials and expanded variables, so the kept hash cannot be compared',
    ]);
    expect(renewed({ ...otherCache, policy: 'server=waitress' })).toEqual([
      'the install options changed: no longer server=gunicorn==23.0.0; now server=waitress',
    ]);
    expect(renewed({ ...otherCache, python: { ...base.python, version: '3.12.8' } })).toEqual(['Python changed from 3.12.7 to 3.12.8']);
  });
});

test('metadata round trip and invalid shapes', () => {
  const meta = venvMetadata(base);
  expect(readVenvMetadata({ ...meta })).toEqual(meta);
  expect(readVenvMetadata({ ...meta, files: 'x' })).toBeUndefined();
  expect(readVenvMetadata({ python: '3.12.7' })).toBeUndefined();
});
