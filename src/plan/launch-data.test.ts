import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchData, launcherCommand, staticFiles, type LaunchDataInput } from './launch-data.js';
import { RUNTIME_PLACEHOLDERS } from './servers.js';

// The launcher's Python tests read the same JSON, so both sides agree on the format.
// Regenerate with UPDATE_LAUNCH_FIXTURE=1 after a deliberate change.
const fixture = (name: string) => fileURLToPath(new URL(`../../layers/launcher/testdata/${name}`, import.meta.url));

const SAMPLE: LaunchDataInput = {
  appDir: '/workspace',
  launcherDir: '/layers/pywarp/launcher',
  venvDir: '/layers/pywarp/venv',
  wsgi: { module: 'mysite.wsgi', callable: 'application', static: { url: '/static/', root: '/workspace/staticfiles/' }, whitenoise: true },
  installedServers: ['waitress', 'uwsgi', 'gunicorn', 'mod_wsgi'],
  buildServer: { name: 'gunicorn', origin: 'BP_PYTHON_SERVER' },
  programs: { worker: { argv: ['python', 'worker.py'], init: true } },
};

// For layers/launcher/realtest_servers.py, which replaces /APP, /LAUNCHER and /VENV with real paths.
const REAL: LaunchDataInput = {
  appDir: '/APP',
  launcherDir: '/LAUNCHER',
  venvDir: '/VENV',
  wsgi: { module: 'wsgi', callable: 'application', static: { url: '/static/', root: '/APP/staticfiles' }, whitenoise: true },
  installedServers: ['gunicorn', 'mod_wsgi', 'uwsgi', 'waitress'],
  programs: {
    orphans: { argv: ['/VENV/bin/python', 'orphans.py'], init: true },
    'orphans-no-init': { argv: ['/VENV/bin/python', 'orphans.py'], init: false },
    stubborn: { argv: ['/VENV/bin/python', 'stubborn.py'], init: true },
  },
};

// An ASGI app with every server installed, WSGI ones included: they must not be offered.
const ASGI: LaunchDataInput = {
  appDir: '/workspace',
  launcherDir: '/layers/pywarp/launcher',
  venvDir: '/layers/pywarp/venv',
  wsgi: { interface: 'asgi', module: 'main', callable: 'app', whitenoise: false },
  installedServers: ['daphne', 'waitress', 'hypercorn', 'gunicorn-uvicorn', 'gunicorn', 'uvicorn'],
  programs: {},
};

// For layers/launcher/realtest_asgi.py, like REAL.
const REAL_ASGI: LaunchDataInput = {
  appDir: '/APP',
  launcherDir: '/LAUNCHER',
  venvDir: '/VENV',
  wsgi: { interface: 'asgi', module: 'asgi', callable: 'app', whitenoise: false },
  installedServers: ['uvicorn', 'gunicorn', 'gunicorn-uvicorn', 'hypercorn', 'daphne'],
  programs: {},
};

const withInput = (changes: Partial<LaunchDataInput>) => launchData({ ...SAMPLE, ...changes });

describe('launchData', () => {
  test.each([
    ['launch.json', SAMPLE],
    ['launch-real.json', REAL],
    ['launch-asgi.json', ASGI],
    ['launch-real-asgi.json', REAL_ASGI],
  ])('matches the fixture %s the launcher tests read', (name, input) => {
    const data = launchData(input);
    if (process.env.UPDATE_LAUNCH_FIXTURE) writeFileSync(fixture(name), `${JSON.stringify(data, null, 2)}\n`);
    expect(data).toEqual(JSON.parse(readFileSync(fixture(name), 'utf8')));
  });

  test('offers web, one process per installed server, and the programs', () => {
    expect(launchData(SAMPLE).processes).toEqual({
      web: { kind: 'server', server: null },
      mod_wsgi: { kind: 'server', server: 'mod_wsgi' },
      gunicorn: { kind: 'server', server: 'gunicorn' },
      uwsgi: { kind: 'server', server: 'uwsgi' },
      waitress: { kind: 'server', server: 'waitress' },
      worker: { kind: 'program', argv: ['python', 'worker.py'], init: true },
    });
  });

  test('lists installed servers in warpdrive order', () => {
    expect(launchData(SAMPLE).installed).toEqual(['mod_wsgi', 'gunicorn', 'uwsgi', 'waitress']);
  });

  test('a program named like a server type or web replaces it', () => {
    const data = withInput({ programs: { web: { argv: ['./app.sh'], init: true } } });
    expect(data.processes.web).toEqual({ kind: 'program', argv: ['./app.sh'], init: true });
    expect(data.processes.gunicorn).toEqual({ kind: 'server', server: 'gunicorn' });
  });

  test('without a WSGI app there are no servers, only programs', () => {
    const data = withInput({ wsgi: undefined, programs: { web: { argv: ['python', 'app.py'], init: true } } });
    expect([data.installed, data.servers, Object.keys(data.processes)]).toEqual([[], {}, ['web']]);
  });

  test('a build-time choice that is not installed is dropped', () => {
    expect(withInput({ installedServers: ['waitress'] }).build_server).toBeNull();
    expect(launchData(SAMPLE).build_server).toEqual({ name: 'gunicorn', origin: 'BP_PYTHON_SERVER' });
  });

  test('gunicorn and waitress run the WhiteNoise wrapper with the app named in its env', () => {
    const { gunicorn, waitress } = launchData(SAMPLE).servers;
    for (const s of [gunicorn!, waitress!]) {
      expect(s.app.at(-1)?.args).toEqual(['pywarp_wsgi:application']);
      expect(s.env).toEqual({
        PYWARP_WSGI_APP: 'mysite.wsgi:application',
        PYWARP_STATIC_URL: '/static',
        PYWARP_STATIC_ROOT: '/workspace/staticfiles',
      });
      expect(s.pythonpath).toEqual(['/layers/pywarp/launcher']);
    }
  });

  test('without whitenoise they serve the app itself', () => {
    const { gunicorn } = withInput({ wsgi: { ...SAMPLE.wsgi!, whitenoise: false } }).servers;
    expect([gunicorn!.app[0]!.args, gunicorn!.env, gunicorn!.pythonpath]).toEqual([['mysite.wsgi:application'], {}, []]);
  });

  test('mod_wsgi serves the app through the wrapper, which holds the start gate, and aliases the static URL', () => {
    const mod = launchData(SAMPLE).servers.mod_wsgi!;
    expect(mod.app.flatMap((o) => o.args)).toEqual([
      '--python-path',
      '/layers/pywarp/launcher',
      '--application-type',
      'module',
      '--entry-point',
      'pywarp_wsgi',
      '--callable-object',
      'application',
    ]);
    expect([mod.env, mod.pythonpath, mod.start_gate]).toEqual([
      { PYWARP_WSGI_APP: 'mysite.wsgi:application' },
      ['/layers/pywarp/launcher'],
      true,
    ]);
    expect(mod.options.at(-1)).toEqual({ args: ['--url-alias', '/static', '/workspace/staticfiles'] });
    expect(mod.command).toEqual(['/layers/pywarp/venv/bin/mod_wsgi-express', 'start-server']);
  });

  test('uWSGI maps the static URL and loads module:callable', () => {
    const uwsgi = launchData(SAMPLE).servers.uwsgi!;
    expect(uwsgi.options.at(-1)).toEqual({ args: ['--static-map', '/static=/workspace/staticfiles'] });
    expect(uwsgi.app[0]!.args).toEqual(['--module', 'mysite.wsgi:application']);
  });

  test('waitress runs through the graceful wrapper with the venv Python', () => {
    expect(launchData(SAMPLE).servers.waitress!.command).toEqual([
      '/layers/pywarp/venv/bin/python',
      '/layers/pywarp/launcher/pywarp_waitress.py',
    ]);
  });

  test('only run-time placeholders are left', () => {
    const args = Object.values(launchData(SAMPLE).servers).flatMap((s) => [
      ...s.command,
      ...s.options.flatMap((o) => o.args),
      ...s.app.flatMap((o) => o.args),
    ]);
    const left = new Set(args.flatMap((a) => [...a.matchAll(/\{(\w+)\}/g)].map((m) => m[1])));
    expect([...left].filter((p) => !(RUNTIME_PLACEHOLDERS as readonly string[]).includes(p!))).toEqual([]);
  });
});

describe('launchData for an ASGI app', () => {
  test('offers only the ASGI servers, gunicorn as the one with uvicorn workers', () => {
    const data = launchData(ASGI);
    expect([data.interface, data.installed, data.other_servers]).toEqual([
      'asgi',
      ['uvicorn', 'gunicorn', 'hypercorn', 'daphne'],
      { waitress: 'wsgi' },
    ]);
    expect(data.processes).toEqual({
      web: { kind: 'server', server: null },
      uvicorn: { kind: 'server', server: 'uvicorn' },
      gunicorn: { kind: 'server', server: 'gunicorn' },
      hypercorn: { kind: 'server', server: 'hypercorn' },
      daphne: { kind: 'server', server: 'daphne' },
    });
    expect(data.servers.gunicorn!.options.flatMap((o) => o.args)).toContain('uvicorn.workers.UvicornWorker');
  });

  test('a WSGI app is not offered the ASGI servers installed next to its own', () => {
    const data = withInput({ installedServers: ['uvicorn', 'gunicorn-uvicorn', 'gunicorn', 'daphne'] });
    expect([data.interface, data.installed, data.other_servers]).toEqual(['wsgi', ['gunicorn'], { uvicorn: 'asgi', daphne: 'asgi' }]);
    expect(data.servers.gunicorn!.options.flatMap((o) => o.args)).not.toContain('uvicorn.workers.UvicornWorker');
  });

  test.each([
    ['gunicorn', 'gunicorn'],
    ['gunicorn-uvicorn', 'gunicorn'],
    ['hypercorn', 'hypercorn'],
  ] as const)('BP_PYTHON_SERVER=%s picks the %s process type', (name, type) => {
    expect(launchData({ ...ASGI, buildServer: { name, origin: 'BP_PYTHON_SERVER' } }).build_server).toEqual({
      name: type,
      origin: 'BP_PYTHON_SERVER',
    });
  });

  test('with the uvicorn-worker package, gunicorn takes the worker class from there', () => {
    const data = launchData({ ...ASGI, installedServers: ['gunicorn-uvicorn', 'gunicorn-uvicorn-worker', 'uvicorn'] });
    expect(data.installed).toEqual(['uvicorn', 'gunicorn']);
    expect(data.servers.gunicorn!.options.flatMap((o) => o.args)).toContain('uvicorn_worker.UvicornWorker');
  });

  test('the servers whose workers are event loops say so (sized one per CPU); daphne runs one process', () => {
    const loops = (data: ReturnType<typeof launchData>) => Object.entries(data.servers).map(([type, s]) => [type, s.event_loops]);
    expect(loops(launchData(ASGI))).toEqual([
      ['uvicorn', true],
      ['gunicorn', true],
      ['hypercorn', true],
      ['daphne', false],
    ]);
    expect(loops(launchData(SAMPLE)).every(([, l]) => l === false)).toBe(true);
  });

  test('a build-time WSGI-only server is dropped for an ASGI app', () => {
    expect(launchData({ ...ASGI, buildServer: { name: 'waitress', origin: 'BP_PYTHON_SERVER' } }).build_server).toBeNull();
  });

  test.each([
    ['uvicorn', ['/layers/pywarp/venv/bin/python', '/layers/pywarp/launcher/pywarp_uvicorn.py']],
    ['hypercorn', ['/layers/pywarp/venv/bin/python', '/layers/pywarp/launcher/pywarp_hypercorn.py']],
    ['daphne', ['/layers/pywarp/venv/bin/python', '/layers/pywarp/launcher/pywarp_daphne.py']],
  ])('%s is started from the venv and named module:callable', (type, command) => {
    const server = launchData(ASGI).servers[type]!;
    expect([server.command, server.app.at(-1)!.args, server.env, server.pythonpath]).toEqual([command, ['main:app'], {}, []]);
  });

  test('static files are left to the app: no WhiteNoise wrapper, no static option', () => {
    const data = launchData({ ...ASGI, wsgi: { ...ASGI.wsgi!, static: { url: '/static/', root: '/workspace/static' }, whitenoise: true } });
    for (const s of Object.values(data.servers)) {
      expect([s.env, s.app.at(-1)!.args]).toEqual([{}, ['main:app']]);
      expect(s.options.flatMap((o) => o.args).join(' ')).not.toContain('/static');
    }
  });
});

describe('staticFiles', () => {
  test.each([
    [
      { url: '/static/', root: '/app/static/' },
      { url: '/static', root: '/app/static' },
    ],
    [
      { url: 'static/', root: '/app/static' },
      { url: '/static', root: '/app/static' },
    ],
    [
      { url: '/', root: '/app/public' },
      { url: '/', root: '/app/public' },
    ],
    [{ url: 'https://cdn.example.com/static/', root: '/app/static' }, undefined],
    [{ url: '//cdn.example.com/static/', root: '/app/static' }, undefined],
    [undefined, undefined],
  ])('%j → %j', (given, expected) => {
    expect(staticFiles(given)).toEqual(expected);
  });
});

describe('launcherCommand', () => {
  test('runs the launcher with the runtime Python, isolated from PYTHONPATH and user site, without site', () => {
    expect(launcherCommand('/layers/pywarp/launcher', '/layers/pywarp/cpython', 'web')).toEqual([
      '/layers/pywarp/cpython/bin/python3',
      '-I',
      '-S',
      '/layers/pywarp/launcher/pywarp_launch.py',
      'web',
    ]);
  });
});
