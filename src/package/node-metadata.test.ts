import { parseToml } from '../cnb/toml.js';
import { BuildError } from '../output/build-error.js';
import { checkPackagingNode, packagedBuildpackToml } from './node-metadata.js';

const node = { version: '20.20.2', sha256: 'ab'.repeat(32), platform: 'linux/amd64' };
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

test('only a linux x64 Node can be packaged', () => {
  expect(() => checkPackagingNode('linux', 'x64')).not.toThrow();
  for (const [platform, arch] of [['darwin', 'arm64'], ['linux', 'arm64'], ['win32', 'x64']] as const) {
    expect(() => checkPackagingNode(platform, arch)).toThrow(new BuildError({ kind: 'package-wrong-node', required: 'linux/amd64', found: `${platform}/${arch}` }));
  }
});

test('[metadata.node] is added, only the amd64 target is kept, the rest is unchanged', () => {
  const table = parseToml(packagedBuildpackToml(source, node), 'packaged');
  const original = parseToml(source, 'source');
  expect(table.metadata).toEqual({ 'default-server': 'gunicorn', dependencies: [{ id: 'cpython' }], node });
  expect(table.targets).toEqual([{ os: 'linux', arch: 'amd64' }]);
  expect(table.buildpack).toEqual(original.buildpack);
  expect(table.api).toBe('0.10');
});

test('a file without a [metadata] table gets one', () => {
  expect(parseToml(packagedBuildpackToml('api = "0.10"', node), 'packaged').metadata).toEqual({ node });
});

test('an already packaged buildpack.toml is refused', () => {
  expect(() => packagedBuildpackToml(packagedBuildpackToml(source, node), node)).toThrow(/already has \[metadata\.node\]/);
});
