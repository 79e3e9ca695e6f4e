// The build log is the product: whole blocks asserted, Heroku style, with a clock that
// stands still so durations are stable. The build runs in this process (runBuild), against
// the fixture CPython and index on 127.0.0.1.
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { runBuild } from '../../src/steps/build.js';
import { useFixtureBuildpack } from '../support/fixture-buildpack.js';
import { repoRoot } from '../support/fixtures.js';
import { scrubbedEnv } from '../support/scrubbed-env.js';

jest.setTimeout(300_000);

const setup = useFixtureBuildpack('pywarp-build-log-');

/** Builds `app` in this process; returns the exit code and the whole log. */
async function build(app: string, name: string) {
  const dir = join(setup.work, name);
  const platform = join(dir, 'platform');
  await mkdir(join(platform, 'env'), { recursive: true });
  const platformEnv = {
    PIP_CONFIG_FILE: '/dev/null',
    PIP_TRUSTED_HOST: '127.0.0.1',
    PIP_INDEX_URL: `${setup.server.url}/wheelhouse/simple/`,
  };
  for (const [k, v] of Object.entries(platformEnv)) await writeFile(join(platform, 'env', k), v);
  const plan = join(dir, 'bp-plan.toml');
  await writeFile(plan, '[[entries]]\nname = "cpython"\n');
  const env = scrubbedEnv(join(dir, 'home'), {
    CNB_BUILDPACK_DIR: setup.bp,
    CNB_LAYERS_DIR: join(dir, 'layers'),
    CNB_PLATFORM_DIR: platform,
    CNB_BP_PLAN_PATH: plan,
    CNB_TARGET_OS: 'linux',
    CNB_TARGET_ARCH: 'amd64',
  });
  await mkdir(join(dir, 'layers'), { recursive: true });
  let log = '';
  const exitCode = await runBuild(env, [], app, {
    write: (t) => {
      log += t;
    },
    clock: { now: () => 0 },
  });
  return { exitCode, log };
}

test('a rebuild of an unchanged app: every layer reused, every decision named', async () => {
  const app = join(setup.work, 'waitress');
  await cp(join(repoRoot(), 'samples', 'waitress'), app, { recursive: true });
  await writeFile(join(app, '.python-version'), `${setup.fixtures.cpythonVersion}\n`);
  const first = await build(app, 'waitress');
  expect([first.exitCode, first.log.split('\n[Installing Python]')[0]]).toEqual([
    0,
    `
[Determining Python version]
.python-version requests Python ${setup.fixtures.cpythonVersion}.
Using Python ${setup.fixtures.cpythonVersion} for amd64.
Done in 0ms.

[Choosing how the app starts]
wsgi.py provides the WSGI application.
Done in 0ms.
`,
  ]);

  const second = await build(app, 'waitress');
  expect([second.exitCode, second.log]).toEqual([
    0,
    `
[Determining Python version]
.python-version requests Python ${setup.fixtures.cpythonVersion}.
Using Python ${setup.fixtures.cpythonVersion} for amd64.
Done in 0ms.

[Choosing how the app starts]
wsgi.py provides the WSGI application.
Done in 0ms.

[Installing Python]
Using cached Python ${setup.fixtures.cpythonVersion}.
Done in 0ms.

[Installing dependencies using pip]
Installing from requirements.txt.
Using the pip cache of earlier builds.
Using the cached virtual environment: its inputs are unchanged, so pip does not run.
Done in 0ms.

[Setting launch processes]
web: waitress (switch with PYWARP_SERVER_TYPE)
waitress: waitress
Done in 0ms.

Build completed in 0ms.
`,
  ]);
});
