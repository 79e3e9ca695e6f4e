// Every peer's start convention, built with the local lifecycle and requested on 127.0.0.1
// with the real servers (issue: "every app starts").
import { jest } from '@jest/globals';
import { buildApp, useFixtureBuildpack } from '../support/fixture-buildpack.js';
import { freePort, waitForHttp } from '../support/http.js';
import { serve } from '../support/serve.js';
import { stop } from '../support/processes.js';

jest.setTimeout(600_000);

const setup = useFixtureBuildpack('pywarp-entry-points-');

const FLASK_HELLO = (name: string) =>
  `from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route("/")\ndef hello():\n    return "Hello from ${name}!"\n`;
const WSGI_HELLO = (text: string) =>
  `def application(environ, start_response):\n    start_response("200 OK", [("Content-Type", "text/plain")])\n    return [b"${text}"]\n`;

test('no start command: the build succeeds with a warning and no web', async () => {
  const { output, image, app } = await buildApp(setup, 'no-start', { 'requirements.txt': 'Flask\n', 'lib.py': 'X = 1\n' });
  expect(output).toContain('[Warning: No start command was found]');
  expect(output).toContain('set BP_WSGI_MODULE=myapp:app');
  expect(output).not.toMatch(/^web: /m);
  const ran = await image.run(app, { process: 'web' });
  expect(ran.exitCode).not.toBe(0);
});

test('samples/google-main: main.py defining app is served, with gunicorn added', async () => {
  const { app, image, output } = await buildApp(setup, 'google-main', { sample: 'google-main' });
  expect(output).toContain('main.py defines the WSGI app main:app and starts no server itself, so it is served.');
  expect(output).toContain('adding gunicorn==20.1.0');
  await serve(image, app, 'Hello from main.py!');
});

test('app.py with only `application` is served, not run', async () => {
  const { app, image, output } = await buildApp(setup, 'app-py-wsgi', {
    'requirements.txt': 'waitress\n',
    'app.py': WSGI_HELLO('plain wsgi'),
  });
  expect(output).toContain('app.py defines the WSGI app app:application');
  await serve(image, app, 'plain wsgi');
});

test('samples/flask-factory: a src/ layout factory, served by every installed server', async () => {
  const { app, image, output } = await buildApp(setup, 'flask-factory', { sample: 'flask-factory' });
  expect(output).toContain('pyproject.toml names the project shop, whose module defines shop:create_app().');
  for (const process of ['web', 'mod_wsgi', 'gunicorn', 'waitress']) await serve(image, app, 'Hello from the shop factory!', { process });
});

test('samples/s2i-app-module: APP_MODULE from .s2i/environment', async () => {
  const { app, image, output } = await buildApp(setup, 's2i-app-module', { sample: 's2i-app-module' });
  expect(output).toContain('APP_MODULE (.s2i/environment) names web.app:application.');
  await serve(image, app, 'Hello from APP_MODULE!');
});

test('APP_HOME: the app in a sub-directory, started there', async () => {
  const { app, image, output } = await buildApp(
    setup,
    'app-home',
    {
      'requirements.txt': 'Flask\nwaitress\n',
      'site/app.py': FLASK_HELLO('site'),
      'site/data.txt': 'x',
    },
    { APP_HOME: 'site' },
  );
  expect(output).toContain('APP_HOME (build environment) says the app lives in site/.');
  await serve(image, app, 'Hello from site!');
});

test('gunicorn.conf.py with wsgi_app keeps its own bind and workers', async () => {
  const port = await freePort();
  const { app, image, output } = await buildApp(setup, 'gunicorn-conf', {
    'requirements.txt': 'gunicorn\n',
    'gunicorn.conf.py': `import os\nwsgi_app = "hello:application"\nbind = "127.0.0.1:${port}"\nworkers = 1\n`,
    'hello.py': WSGI_HELLO('from the config'),
  });
  expect(output).toContain('gunicorn.conf.py sets wsgi_app = "hello:application"');
  const child = image.launch(app, { env: { PORT: '1' } });
  let out = '';
  child.all?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  try {
    const answer = await waitForHttp(`http://127.0.0.1:${port}/`, 60_000, () => out);
    expect(answer.body).toBe('from the config');
    const started = /pywarp: starting [^\n]*/.exec(out)?.[0] ?? out;
    expect(started).not.toMatch(/--bind|--workers|hello:application/);
  } finally {
    await stop(child);
  }
});

test('samples/django-backend: Django in backend/ without WSGI_APPLICATION, statics served', async () => {
  const { app, image, output } = await buildApp(setup, 'django-backend', { sample: 'django-backend' });
  expect(output).toContain(
    'backend/manage.py names the Django settings config.settings; they set no WSGI_APPLICATION, so the WSGI module next to them is served: config.wsgi:application.',
  );
  expect(output).toContain('[Generating Django static files]');
  await serve(image, app, 'Hello from Django in backend/!');
  await serve(image, app, 'color: teal', { path: '/static/pages/site.css' });
});

test('a single [project.scripts] entry is web', async () => {
  const { app, image, output } = await buildApp(setup, 'project-script', {
    'pyproject.toml':
      '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "tool"\nversion = "1"\n\n[project.scripts]\nserve-tool = "tool:main"\n',
    // No module-level app: the package rule does not apply, the script does.
    'tool.py': `import os\nfrom wsgiref.simple_server import make_server\n\n\ndef main():\n    ${WSGI_HELLO('from a script').replaceAll('\n', '\n    ')}\n    make_server(os.environ.get("PYWARP_HOST", "0.0.0.0"), int(os.environ["PORT"]), application).serve_forever()\n`,
  });
  expect(output).toContain('pyproject.toml [project.scripts] defines one script, serve-tool, run as web.');
  // wsgiref's server does not handle SIGTERM: it dies of it, and the launcher reports that status.
  await serve(image, app, 'from a script', { exitCode: 143 });
});
