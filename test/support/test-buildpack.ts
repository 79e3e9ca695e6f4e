import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import TOML from '@iarna/toml';
import type { Fixtures } from './fixtures.js';
import { repoRoot } from './fixtures.js';

export interface TestDependency {
  version: string;
  uri: string;
  sha256: string;
  stripComponents?: number;
}

/** The fixture CPython as a dependency-table entry served by a fixture server. */
export function fixtureCpython(fixtures: Fixtures, serverUrl: string): TestDependency {
  return {
    version: fixtures.cpythonVersion,
    uri: `${serverUrl}/dist/cpython-3.11-debian-bookworm-x86_64.tgz`,
    sha256: fixtures.cpythonSha256,
  };
}

/**
 * A copy of this buildpack whose dependency table lists the given artifacts (the
 * fixture tarball on 127.0.0.1), so builds never reach for python-build-standalone.
 * bin/, dist/ and layers/ are links to the repo: the shims find the bundle relative
 * to themselves, so the copy runs the code under test.
 */
export async function makeTestBuildpack(
  dir: string,
  deps: readonly TestDependency[],
  defaultServer = 'gunicorn==20.1.0',
  defaultStatic = 'whitenoise==6.0.0',
  defaultAsgiServer = 'uvicorn==0.17.6',
): Promise<string> {
  const root = repoRoot();
  await mkdir(dir, { recursive: true });
  for (const name of ['bin', 'dist', 'layers']) await symlink(join(root, name), join(dir, name));
  const descriptor = TOML.parse(await readFile(join(root, 'buildpack.toml'), 'utf8')) as TOML.JsonMap & { metadata: TOML.JsonMap };
  descriptor.metadata['default-server'] = defaultServer;
  descriptor.metadata['default-static'] = defaultStatic;
  descriptor.metadata['default-asgi-server'] = defaultAsgiServer;
  descriptor.metadata.dependencies = deps.map((d) => ({
    id: 'cpython',
    name: 'CPython',
    version: d.version,
    arch: 'amd64',
    uri: d.uri,
    sha256: d.sha256,
    'strip-components': d.stripComponents ?? 0,
    source: 'test fixture',
  }));
  await writeFile(join(dir, 'buildpack.toml'), TOML.stringify(descriptor));
  return dir;
}
