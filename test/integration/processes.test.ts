// Every sample built with the local lifecycle, each of its process types launched and
// requested on 127.0.0.1: real CPython, real pip, real servers.
import { execFileSync } from 'node:child_process';
import { cp, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { writeApp } from '../support/apps.js';
import { useFixtureBuildpack } from '../support/fixture-buildpack.js';
import { repoRoot } from '../support/fixtures.js';
import { freePort, get, waitForHttp } from '../support/http.js';
import { catches, descendants, stop } from '../support/processes.js';
import { TestImage } from '../support/pywarp.js';
import { REALTEST_REQUIREMENTS, runRealtests } from '../support/realtests.js';

jest.setTimeout(600_000);

const SIGTERM = 15;

const setup = useFixtureBuildpack('pywarp-processes-');

/** Builds a copy of a sample (builds write into the app, e.g. collectstatic). */
async function buildSample(name: string, env: Record<string, string> = {}) {
  const app = join(setup.work, name, 'app');
  await cp(join(repoRoot(), 'samples', name), app, { recursive: true });
  const image = new TestImage(join(setup.work, name), setup.bp);
  const build = await image.build(app, { PIP_INDEX_URL: `${setup.server.url}/wheelhouse/simple/`, ...env });
  expect([build.exitCode, build.output]).toEqual([0, expect.any(String)]);
  return { app, image, build };
}

interface Expect {
  process?: string;
  env?: Record<string, string>;
  path?: string;
  body: string;
  server?: RegExp | null;
  port?: number;
  exitCode?: number;
  /** When the process is ready to be stopped, given its PID (waited for, bounded, after the first answer). */
  ready?: (pid: number) => boolean;
}

/** Launches a process, requests it, checks the answer, stops it with SIGTERM and expects exit 0 (or the app's own code). */
async function serve(image: TestImage, app: string, e: Expect): Promise<void> {
  const port = e.port ?? (await freePort());
  const child = image.launch(app, {
    ...(e.process ? { process: e.process } : {}),
    env: { PORT: String(port), PYWARP_HOST: '127.0.0.1', ...e.env },
  });
  let output = '';
  child.all?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  try {
    const answer = await waitForHttp(`http://127.0.0.1:${port}${e.path ?? '/'}`, 60_000, () => output);
    expect([answer.status, answer.body]).toEqual([200, expect.stringContaining(e.body)]);
    if (e.server !== undefined) expect(answer.server ?? null).toEqual(e.server === null ? null : expect.stringMatching(e.server));
    for (let i = 0; e.ready && !e.ready(child.pid!) && i < 300; i++) await new Promise((ok) => setTimeout(ok, 100));
  } finally {
    const stopped = await stop(child);
    // The whole output on failure: the launcher prints the server's argv, the server its shutdown.
    if (stopped.exitCode !== (e.exitCode ?? 0)) expect(stopped.output).toBe(`exit status ${e.exitCode ?? 0}`);
  }
}

test('warpdrive-flask: web is mod_wsgi-express; WARPDRIVE_SERVER_TYPE switches it to gunicorn', async () => {
  const { app, image, build } = await buildSample('warpdrive-flask');
  expect(build.output).toContain('Process types: web (default), mod_wsgi, gunicorn');
  // compiled at build by the image's CPython: the launcher's modules, and launch.json for marshal
  const layer = join(image.layers, 'pywarp_python');
  const modules = (await readdir(join(layer, 'launcher'))).filter((f) => f.endsWith('.py')).map((f) => f.replace(/\.py$/, ''));
  const pycs = (await readdir(join(layer, 'launcher', '__pycache__'))).map((f) => f.split('.')[0]);
  expect(pycs.sort()).toEqual(modules.sort());
  const copied = execFileSync(
    join(layer, 'cpython', 'bin', 'python3'),
    [
      '-I',
      '-S',
      '-c',
      'import marshal, sys; raw, _ = marshal.load(open(sys.argv[1] + ".marshal", "rb")); print(raw == open(sys.argv[1], "rb").read())',
      join(layer, 'launcher', 'launch.json'),
    ],
    { encoding: 'utf8', env: {} },
  );
  expect(copied).toBe('True\n');
  await serve(image, app, { body: 'Hello from warpdrive-flask!', server: /^Apache/ });
  await serve(image, app, { env: { WARPDRIVE_SERVER_TYPE: 'gunicorn' }, body: 'Hello from warpdrive-flask!', server: /^gunicorn/ });
  await serve(image, app, {
    env: { PYWARP_SERVER_TYPE: 'gunicorn', WARPDRIVE_SERVER_TYPE: 'mod_wsgi' },
    body: 'Hello from warpdrive-flask!',
    server: /^gunicorn/,
  });
  await serve(image, app, { process: 'mod_wsgi', body: 'Hello from warpdrive-flask!', server: /^Apache/ });
  await serve(image, app, { process: 'gunicorn', body: 'Hello from warpdrive-flask!', server: /^gunicorn/ });

  const unknown = await image.run(app, { env: { WARPDRIVE_SERVER_TYPE: 'nginx' } });
  expect(unknown.exitCode).not.toBe(0);
  expect(unknown.output.trim().split('\n')).toEqual([expect.stringMatching(/nginx.*mod_wsgi, gunicorn/)]);
});

test('gunicorn-wrapper: app.py starts gunicorn from Python and serves on PORT=8000', async () => {
  const { app, image } = await buildSample('gunicorn-wrapper');
  // Stopped once its arbiter and both workers catch SIGTERM: one sent in a gunicorn worker's first
  // instant is lost (gunicorn's own race, which pywarp closes for gunicorn run as a server, not for an
  // app's own gunicorn: pywarp_gunicorn.py).
  await serve(image, app, {
    port: 8000,
    body: 'Hello from the gunicorn wrapper!',
    server: /^gunicorn/,
    ready: (pid) => {
      const below = descendants(pid);
      return below.length >= 3 && below.every((p) => catches(p, SIGTERM));
    },
  });
});

test('django-static: collectstatic at build, a static file served by gunicorn through WhiteNoise', async () => {
  const { app, image, build } = await buildSample('django-static');
  expect(build.output).toContain('[Generating Django static files]');
  expect(build.output).toContain("Running 'python manage.py collectstatic --noinput'");
  expect(build.output).toContain('Process types: web (default), gunicorn, migrate');
  await serve(image, app, { body: 'Hello from Django!', server: /^gunicorn/ });
  await serve(image, app, { path: '/static/hello/site.css', body: 'served by pywarp' });
  const migrate = await image.run(app, { process: 'migrate' });
  expect([migrate.exitCode, migrate.output]).toEqual([0, expect.stringContaining('Apply all migrations')]);
});

test('django-static with BP_DISABLE_COLLECTSTATIC skips the step', async () => {
  const { build } = await buildSample('django-static', { BP_DISABLE_COLLECTSTATIC: 'true' });
  expect(build.output).toContain('Skipping collectstatic: BP_DISABLE_COLLECTSTATIC is set.');
});

test.each([
  ['waitress', 'Hello from Flask on waitress!', /^waitress/],
  ['uwsgi', 'Hello from Flask on uwsgi!', null],
] as const)('%s', async (name, body, serverHeader) => {
  const { app, image } = await buildSample(name);
  await serve(image, app, { body, server: serverHeader });
  await serve(image, app, { process: name, body });
});

test('app-sh: an executable app.sh is run as it is', async () => {
  const { app, image } = await buildSample('app-sh');
  // python -m http.server has no SIGTERM handler: it dies of the signal, and the status says so.
  await serve(image, app, { body: 'Hello from app.sh!', exitCode: 143 });
});

test('procfile: its types become process types, web the default', async () => {
  const { app, image, build } = await buildSample('procfile');
  expect(build.output).toContain('Process types: web (default), hello');
  await serve(image, app, { body: 'Hello from a Procfile process!', server: /^gunicorn/ });
  const hello = await image.run(app, { process: 'hello' });
  expect([hello.exitCode, hello.output]).toEqual([0, expect.stringContaining('hello from a one-off process')]);
});

test('a failed request loop never hangs: get() gives up', async () => {
  await expect(get(`http://127.0.0.1:${await freePort()}/`, 500)).rejects.toThrow();
});

describe('SIGTERM during a slow request: the request completes and the server exits 0', () => {
  let image: TestImage;
  let app: string;

  beforeAll(async () => {
    app = await writeApp(join(setup.work, 'slow', 'app'), {
      'requirements.txt': REALTEST_REQUIREMENTS,
      'wsgi.py': [
        'import time',
        'def application(environ, start_response):',
        '    if environ.get("PATH_INFO") == "/slow":',
        '        time.sleep(2)',
        '    start_response("200 OK", [("Content-Type", "text/plain")])',
        '    return [b"done\\n"]',
        '',
      ].join('\n'),
    });
    image = new TestImage(join(setup.work, 'slow'), setup.bp);
    const build = await image.build(app, { PIP_INDEX_URL: `${setup.server.url}/wheelhouse/simple/` });
    expect([build.exitCode, build.output]).toEqual([0, expect.any(String)]);
  });

  test.each(['gunicorn', 'uwsgi', 'waitress', 'mod_wsgi'])('%s', async (name) => {
    const port = await freePort();
    const child = image.launch(app, { process: name, env: { PORT: String(port), PYWARP_HOST: '127.0.0.1' } });
    let output = '';
    child.all?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    try {
      await waitForHttp(`http://127.0.0.1:${port}/`, 60_000, () => output);
      const slow = get(`http://127.0.0.1:${port}/slow`, 20_000);
      await new Promise((r) => setTimeout(r, 500));
      const stopped = stop(child, 'SIGTERM');
      expect(await slow).toMatchObject({ status: 200, body: 'done\n' });
      expect((await stopped).exitCode).toBe(0);
    } finally {
      await stop(child, 'SIGKILL', 1000);
    }
  });

  test('the launcher as PID 1 reaps orphans; every server stops gracefully under the real-server suite', async () => {
    const result = await runRealtests(image);
    expect([result.exitCode, result.all]).toEqual([0, expect.stringMatching(/OK\s*$/)]);
  });
});
