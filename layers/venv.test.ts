import { readVenvMetadata, venvInvalidationReasons, venvMetadata } from './venv.js';

const base = {
  python: { layerPath: '/l/cpython', version: '3.12.7', sha256: 'a'.repeat(64) },
  target: { os: 'linux', arch: 'amd64' },
  keyFiles: new Map([['requirements.txt', 'flask\n']]),
  installArgs: ['--no-input', '-r', 'requirements.txt'],
  pipEnv: { PATH: '/x', PIP_INDEX_URL: 'https://user:s3cret@index.example/simple/', HOME: '/h', PIP_CACHE_DIR: '/c' },
  policy: 'server=gunicorn==23.0.0',
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

test('metadata round trip and invalid shapes', () => {
  const meta = venvMetadata(base);
  expect(readVenvMetadata({ ...meta })).toEqual(meta);
  expect(readVenvMetadata({ ...meta, files: 'x' })).toBeUndefined();
  expect(readVenvMetadata({ python: '3.12.7' })).toBeUndefined();
});
