// The launcher's server wrappers against the releases users install today. The other suites run
// Debian 12's servers, years old (uvicorn 0.17, hypercorn 0.13, gunicorn 20); these are Debian 13's
// (test/fixtures/make-fixtures.sh builds wheelhouse-current), past the changes the wrappers must
// follow: hypercorn spawns its workers since 0.14.2, uvicorn raises the stop signal again since 0.29.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { gte } from '@renovatebot/pep440';
import { buildApp, useFixtureBuildpack } from '../support/fixture-buildpack.js';
import { REALTEST_REQUIREMENTS, runRealtests } from '../support/realtests.js';

jest.setTimeout(600_000);

const setup = useFixtureBuildpack('pywarp-current-servers-');

// Each at least the release whose change a wrapper follows.
const AT_LEAST = { uvicorn: '0.29', hypercorn: '0.14.2', gunicorn: '23', waitress: '3', daphne: '4.1' };

// The suites whose servers are newer in wheelhouse-current (uWSGI and mod_wsgi are the same
// builds). realtest_servers.StopTest is left out: 40 s, mostly uWSGI's and mod_wsgi's cases.
const SUITES = [
  'realtest_asgi',
  'realtest_waitress_log',
  'realtest_waitress_pool',
  'realtest_gunicorn_tuning',
  'realtest_uvicorn_access',
  'realtest_servers.GracefulStopTest',
];

test('the real-server suites pass on current uvicorn, hypercorn, daphne, gunicorn and waitress', async () => {
  if (!setup.fixtures.currentWheelhouse) {
    throw new Error(`the fixtures in ${setup.fixtures.dir} have no wheelhouse-current: rebuild them (test/fixtures/make-fixtures.sh)`);
  }
  const { image } = await buildApp(
    setup,
    'current',
    {
      'requirements.txt': REALTEST_REQUIREMENTS,
      'wsgi.py': 'def application(environ, start_response):\n    start_response("200 OK", [])\n    return [b"done\\n"]\n',
    },
    { PIP_INDEX_URL: `${setup.server.url}/wheelhouse-current/simple/` },
  );
  const python = join(image.layers, 'pywarp_python', 'venv', 'bin', 'python');
  const script = `import json, importlib.metadata as m; print(json.dumps({n: m.version(n) for n in ${JSON.stringify(Object.keys(AT_LEAST))}}))`;
  const versions = JSON.parse(execFileSync(python, ['-I', '-c', script], { env: {}, encoding: 'utf8' })) as Record<string, string>;
  for (const [name, least] of Object.entries(AT_LEAST)) {
    const version = versions[name] ?? 'not installed';
    expect([name, version, gte(version, least)]).toEqual([name, version, true]);
  }
  const result = await runRealtests(image, SUITES);
  expect([result.exitCode, result.all]).toEqual([0, expect.stringMatching(/OK\s*$/)]);
});
