import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeApp } from './apps.js';
import { startFixtureServer, type FixtureServer } from './fixture-server.js';
import { ensureFixtures, repoRoot, type Fixtures } from './fixtures.js';
import { TestImage } from './pywarp.js';
import { makeTempDir } from './scrubbed-env.js';
import { fixtureCpython, makeTestBuildpack } from './test-buildpack.js';

export interface FixtureBuildpack {
  fixtures: Fixtures;
  /** Serves the fixture CPython and wheelhouse on 127.0.0.1. */
  server: FixtureServer;
  /** A temp dir for the file's apps and images, removed after it. */
  work: string;
  /** A copy of this buildpack whose CPython table lists the fixture tarball. */
  bp: string;
}

/** Sets up, before a test file's tests, the fixtures on 127.0.0.1 and a buildpack using them; removes them after. */
export function useFixtureBuildpack(prefix: string): FixtureBuildpack {
  const setup = {} as FixtureBuildpack;
  beforeAll(async () => {
    setup.fixtures = await ensureFixtures();
    setup.server = await startFixtureServer(setup.fixtures.dir);
    setup.work = await makeTempDir(prefix);
    setup.bp = await makeTestBuildpack(join(setup.work, 'bp'), [fixtureCpython(setup.fixtures, setup.server.url)]);
  });
  afterAll(async () => {
    await setup.server?.close();
    if (setup.work) await rm(setup.work, { recursive: true, force: true });
  });
  return setup;
}

/** Builds an app (a sample's copy, or files) against the fixture index and expects the build to succeed. */
export async function buildApp(
  setup: FixtureBuildpack,
  name: string,
  files: Record<string, string> | { sample: string },
  env: Record<string, string> = {},
) {
  const app = join(setup.work, name, 'app');
  if ('sample' in files) await cp(join(repoRoot(), 'samples', files.sample as string), app, { recursive: true });
  else await writeApp(app, files);
  const image = new TestImage(join(setup.work, name), setup.bp);
  const result = await image.build(app, { PIP_INDEX_URL: `${setup.server.url}/wheelhouse/simple/`, ...env });
  expect([result.exitCode, result.output]).toEqual([0, expect.any(String)]);
  return { app, image, output: result.output };
}
