import { appFrom } from './app.js';
import type { Dependency } from './cpython-table.js';
import { planPython } from './python.js';

const dep = (version: string, arch = 'amd64'): Dependency => ({
  id: 'cpython',
  name: 'CPython',
  version,
  arch,
  uri: `https://x/${version}-${arch}.tgz`,
  sha256: 'a'.repeat(64),
  stripComponents: 1,
  source: '',
});
const TABLE = [dep('3.11.9'), dep('3.12.6'), dep('3.12.7'), dep('3.13.1'), dep('3.13.2', 'arm64')];
const amd64 = { os: 'linux', arch: 'amd64' };

test.each<[string, Record<string, string>, Record<string, string>, string, string | undefined]>([
  ['default: newest in the table for the target', {}, {}, '3.13.1', undefined],
  ['.python-version minor: its newest patch', { '.python-version': '3.12\n' }, {}, '3.12.7', '.python-version'],
  ['runtime.txt exact', { 'runtime.txt': 'python-3.12.6' }, {}, '3.12.6', 'runtime.txt'],
  ['BP_CPYTHON_VERSION overrides the files', { '.python-version': '3.12' }, { BP_CPYTHON_VERSION: '3.11' }, '3.11.9', 'BP_CPYTHON_VERSION'],
  ['pyproject requires-python', { 'pyproject.toml': '[project]\nrequires-python = ">=3.11,<3.13"\n' }, {}, '3.12.7', 'pyproject.toml'],
])('%s', (_name, files, config, version, origin) => {
  const plan = planPython(appFrom('/app', files), config, TABLE, amd64);
  expect([plan.dependency.version, plan.dependency.uri, plan.resolved.request?.origin]).toEqual([
    version,
    `https://x/${version}-amd64.tgz`,
    origin,
  ]);
});

test('the arch picks the artifact', () => {
  expect(planPython(appFrom('/app', {}), {}, TABLE, { os: 'linux', arch: 'arm64' }).dependency.uri).toBe('https://x/3.13.2-arm64.tgz');
});
