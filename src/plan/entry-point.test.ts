import { appFrom } from './app.js';
import { chooseEntryPoint, definesName, entryPointSources } from './entry-point.js';

const DJANGO_MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n";
const DJANGO_SETTINGS =
  "INSTALLED_APPS = [\n    'django.contrib.staticfiles',\n]\nWSGI_APPLICATION = 'mysite.wsgi.application'\nSTATIC_URL = 'static/'\n";
const app = (files: Record<string, string>, extra: { dirs?: string[]; executables?: string[] } = {}) => appFrom('/app', files, extra);

test.each<[string, Record<string, string>, object, { dirs?: string[]; executables?: string[] }?, Record<string, string>?]>([
  ['Procfile first', { Procfile: 'web: gunicorn app:app\nworker: python w.py\n', 'app.py': '' }, { kind: 'procfile' }],
  ['executable app.sh', { 'app.sh': '', 'app.py': '' }, { kind: 'shell', file: 'app.sh' }, { executables: ['app.sh'] }],
  ['app.py', { 'app.py': '', 'wsgi.py': 'application = 1' }, { kind: 'python', file: 'app.py' }],
  [
    'Django',
    { 'manage.py': DJANGO_MANAGE, 'mysite/settings.py': DJANGO_SETTINGS, 'mysite/wsgi.py': 'application = get_wsgi_application()' },
    {
      kind: 'wsgi',
      target: { module: 'mysite.wsgi', callable: 'application' },
      django: { settingsModule: 'mysite.settings', wsgiApplication: 'mysite.wsgi.application' },
    },
  ],
  ['wsgi.py', { 'wsgi.py': 'from app import app as application\n' }, { kind: 'wsgi', target: { module: 'wsgi', callable: 'application' } }],
  [
    'wsgi/ package',
    { 'wsgi/__init__.py': 'def application(environ, start_response):\n    pass\n' },
    { kind: 'wsgi', target: { module: 'wsgi', callable: 'application' } },
    { dirs: ['wsgi'] },
  ],
  [
    'BP_WSGI_MODULE and BP_WSGI_CALLABLE',
    { 'app.py': '', 'web/main.py': 'app = make()\n' },
    { kind: 'wsgi', target: { module: 'web.main', callable: 'app' } },
    {},
    { BP_WSGI_MODULE: 'web.main', BP_WSGI_CALLABLE: 'app' },
  ],
])('%s', (_n, files, expected, extra = {}, config = {}) => expect(chooseEntryPoint(app(files, extra), config)).toMatchObject(expected));

test('a non-executable app.sh is skipped; with nothing else there is no start command, and the warning says why', () => {
  expect(chooseEntryPoint(app({ 'app.sh': '' }), {})).toEqual({
    kind: 'none',
    nonExecutableAppSh: true,
    reason: 'No start command was found',
  });
  expect(chooseEntryPoint(app({ 'requirements.txt': 'flask' }), {})).toMatchObject({ kind: 'none', nonExecutableAppSh: false });
});

test('wsgi.py without the callable is a titled error', () => {
  expect(() => chooseEntryPoint(app({ 'wsgi.py': 'app = Flask(__name__)\n' }), {})).toThrow('wsgi has no WSGI callable named application');
});

test('a bad Procfile line is an error', () =>
  expect(() => chooseEntryPoint(app({ Procfile: 'web gunicorn\n' }), {})).toThrow('The Procfile has lines pywarp cannot use'));

test.each([
  ['application = app', true],
  ['application: Callable = app', true],
  ['def application(e, s):', true],
  ['async def application(s, r, x):', true],
  ['from app import app as application', true],
  ['from mysite.wsgi import application', true],
  ['class application:', true],
  ['app = Flask()', false],
  ['    application = x', false],
  ['# application = x', false],
])('definesName(%j)', (src, expected) => expect(definesName(src, 'application')).toBe(expected));

test('Django: once the settings are read, the WSGI module they name is read too', () => {
  const before = entryPointSources(app({ 'manage.py': DJANGO_MANAGE }), {});
  const after = entryPointSources(
    app({ 'manage.py': DJANGO_MANAGE, 'mysite/settings.py': "WSGI_APPLICATION = 'web.wsgi.application'\n" }),
    {},
  );
  expect(before).toEqual(expect.arrayContaining(['manage.py', 'mysite/settings.py', 'mysite/settings/__init__.py', 'mysite/wsgi.py']));
  expect(after).toEqual(expect.arrayContaining(['web/wsgi.py', 'web/wsgi/__init__.py']));
  expect(before).not.toContain('web/wsgi.py');
});

test('sources to read: s2i and warpdrive files, the candidates, manage.py one level down, BP_WSGI_MODULE, the project package', () => {
  const sources = entryPointSources(
    app({ 'pyproject.toml': '[project]\nname = "My-Shop"\n' }, { dirs: ['wsgi', 'backend', '.git', 'node_modules'] }),
    { BP_WSGI_MODULE: 'a.b:app' },
  );
  expect(sources).toEqual(
    expect.arrayContaining([
      '.s2i/environment',
      '.warpdrive/deploy_mode',
      '.warpdrive/home',
      'app.sh',
      'app.py',
      'main.py',
      'gunicorn.conf.py',
      'gunicorn.conf',
      'wsgi/__init__.py',
      'backend/manage.py',
      'a/b.py',
      'a/b/__init__.py',
      'my_shop/__init__.py',
      'src/my_shop/__init__.py',
      'my_shop.py',
    ]),
  );
  expect(sources).not.toContain('.git/manage.py');
  expect(sources).not.toContain('node_modules/manage.py');
});

test('with APP_HOME the candidates are read in that directory', () => {
  expect(entryPointSources(app({ '.s2i/environment': 'APP_HOME=web\n' }), {})).toEqual(
    expect.arrayContaining(['web/app.py', 'web/manage.py', 'web/wsgi.py']),
  );
});

const FLASK_APP = 'from flask import Flask\napp = Flask(__name__)\n\n@app.route("/")\ndef hello():\n    return "hi"\n';
const FLASK_RUN = `${FLASK_APP}\nif __name__ == "__main__":\n    app.run()\n`;
const FACTORY = 'from flask import Flask\n\ndef create_app():\n    app = Flask(__name__)\n    return app\n';
const DJANGO_NO_WSGI_SETTING = 'INSTALLED_APPS = []\n';

// One row per rule of README's order: files in, entry point and log sentence out.
test.each<[string, Record<string, string>, Record<string, string>, object, { executables?: string[]; dirs?: string[] }?]>([
  [
    '1. Procfile wins over everything',
    { Procfile: 'web: gunicorn app:app\n', 'wsgi.py': 'application = 1', '.s2i/environment': 'APP_MODULE=x:y' },
    {},
    { kind: 'procfile', reason: 'Procfile defines web.' },
  ],
  [
    '2. BP_WSGI_MODULE as module:callable',
    { 'web/main.py': 'app = make()\n', 'wsgi.py': 'application = 1' },
    { BP_WSGI_MODULE: 'web.main:app' },
    { kind: 'wsgi', target: { module: 'web.main', callable: 'app' }, reason: 'BP_WSGI_MODULE names web.main:app.' },
  ],
  [
    '2. APP_MODULE from .s2i/environment',
    { '.s2i/environment': '# s2i\nAPP_MODULE=shop.web:app\n', 'shop/web.py': 'app = Flask(__name__)\n' },
    {},
    { kind: 'wsgi', target: { module: 'shop.web', callable: 'app' }, reason: 'APP_MODULE (.s2i/environment) names shop.web:app.' },
  ],
  [
    '2. APP_MODULE from the build environment wins over the file',
    { '.s2i/environment': 'APP_MODULE=a:b\n', 'c.py': 'application = 1\n' },
    { APP_MODULE: 'c' },
    { kind: 'wsgi', target: { module: 'c', callable: 'application' }, reason: 'APP_MODULE (build environment) names c.' },
  ],
  [
    '2. APP_FILE',
    { '.s2i/environment': 'APP_FILE=server.py\n', 'server.py': 'print(1)\n' },
    {},
    { kind: 'python', file: 'server.py', reason: 'APP_FILE (.s2i/environment) names server.py, run with "python server.py".' },
  ],
  [
    '2. APP_SCRIPT',
    { 'run.sh': '' },
    { APP_SCRIPT: './run.sh' },
    { kind: 'shell', file: 'run.sh', reason: 'APP_SCRIPT (build environment) names ./run.sh, run as it is.' },
  ],
  [
    '2. APP_HOME: the rules look in that directory',
    { '.s2i/environment': 'APP_HOME=backend\n', 'backend/wsgi.py': 'application = 1\n' },
    {},
    {
      kind: 'wsgi',
      home: 'backend',
      target: { module: 'wsgi', callable: 'application' },
      reason: 'APP_HOME (.s2i/environment) says the app lives in backend/. backend/wsgi.py provides the WSGI application.',
    },
  ],
  [
    '2. .warpdrive/home',
    { '.warpdrive/home': 'site\n', 'site/app.py': FLASK_APP },
    {},
    { kind: 'wsgi', home: 'site', target: { module: 'app', callable: 'app' } },
  ],
  [
    '2. warpdrive deploy_mode python',
    { '.warpdrive/deploy_mode': 'python\n', 'app.py': FLASK_APP, 'wsgi.py': 'application = 1' },
    {},
    {
      kind: 'python',
      file: 'app.py',
      reason: '.warpdrive/deploy_mode is python. app.py starts a server itself, so it is run with "python app.py".',
    },
  ],
  [
    '2. warpdrive deploy_mode wsgi skips app.py',
    { '.warpdrive/deploy_mode': 'wsgi\n', 'app.py': FLASK_RUN, 'wsgi.py': 'application = 1' },
    {},
    { kind: 'wsgi', target: { module: 'wsgi', callable: 'application' } },
  ],
  [
    '3. gunicorn.conf.py with wsgi_app',
    {
      'gunicorn.conf.py': 'bind = "0.0.0.0:8080"\nwsgi_app = "shop.wsgi:app"\nworkers = 3\n',
      'shop/wsgi.py': 'app = 1\n',
      'app.py': FLASK_RUN,
    },
    {},
    {
      kind: 'wsgi',
      target: { module: 'shop.wsgi', callable: 'app' },
      reason: 'gunicorn.conf.py sets wsgi_app = "shop.wsgi:app": gunicorn reads the rest of its settings from it.',
    },
  ],
  [
    '3. gunicorn.conf.py without wsgi_app does not decide',
    { 'gunicorn.conf.py': 'workers = 3\n', 'wsgi.py': 'application = 1\n' },
    {},
    { kind: 'wsgi', target: { module: 'wsgi' } },
  ],
  [
    '4. executable app.sh',
    { 'app.sh': '#!/bin/sh\n', 'app.py': FLASK_RUN },
    {},
    { kind: 'shell', file: 'app.sh', reason: 'app.sh is executable, so it is run as the app.' },
    { executables: ['app.sh'] },
  ],
  ['5. app.py that runs itself', { 'app.py': FLASK_RUN }, {}, { kind: 'python', file: 'app.py' }],
  [
    '5. app.py with only application (no server of its own)',
    { 'app.py': 'def application(environ, start_response):\n    pass\n' },
    {},
    {
      kind: 'wsgi',
      target: { module: 'app', callable: 'application' },
      reason: 'app.py defines the WSGI app app:application and starts no server itself, so it is served.',
    },
  ],
  ['5. Google-style main.py', { 'main.py': FLASK_APP }, {}, { kind: 'wsgi', target: { module: 'main', callable: 'app' } }],
  [
    '5. a Flask object under another name',
    { 'main.py': 'import flask\nserver = flask.Flask(__name__)\n' },
    {},
    { kind: 'wsgi', target: { module: 'main', callable: 'server' } },
  ],
  [
    '5. an app factory',
    { 'app.py': FACTORY },
    {},
    {
      kind: 'wsgi',
      target: { module: 'app', callable: 'create_app', factory: true },
      reason: 'app.py defines the app factory app:create_app(), so the app it returns is served.',
    },
  ],
  [
    '5. app.py and main.py: app.py first, and the log says so',
    { 'app.py': FLASK_APP, 'main.py': FLASK_APP },
    {},
    { kind: 'wsgi', target: { module: 'app' }, notes: ["Also found main.py; using app.py, the first in pywarp's order."] },
  ],
  [
    '6. Django with WSGI_APPLICATION',
    { 'manage.py': DJANGO_MANAGE, 'mysite/settings.py': DJANGO_SETTINGS, 'mysite/wsgi.py': 'application = get_wsgi_application()' },
    {},
    {
      kind: 'wsgi',
      target: { module: 'mysite.wsgi', callable: 'application' },
      reason: 'manage.py names the Django settings mysite.settings; their WSGI_APPLICATION is mysite.wsgi:application.',
    },
  ],
  [
    '6. Django without WSGI_APPLICATION: the wsgi module next to the settings',
    { 'manage.py': DJANGO_MANAGE, 'mysite/settings.py': DJANGO_NO_WSGI_SETTING, 'mysite/wsgi.py': 'application = get_wsgi_application()' },
    {},
    {
      kind: 'wsgi',
      target: { module: 'mysite.wsgi', callable: 'application' },
      reason:
        'manage.py names the Django settings mysite.settings; they set no WSGI_APPLICATION, so the WSGI module next to them is served: mysite.wsgi:application.',
    },
  ],
  [
    '6. Django in backend/',
    { 'backend/manage.py': DJANGO_MANAGE, 'backend/mysite/settings.py': DJANGO_SETTINGS, 'backend/mysite/wsgi.py': 'application = 1' },
    {},
    {
      kind: 'wsgi',
      home: 'backend',
      target: { module: 'mysite.wsgi' },
      django: { settingsModule: 'mysite.settings' },
      reason: expect.stringMatching(/^backend\/manage.py names/),
    },
    { dirs: ['backend'] },
  ],
  [
    '7. wsgi.py',
    { 'wsgi.py': 'from app import app as application\n' },
    {},
    { kind: 'wsgi', target: { module: 'wsgi', callable: 'application' }, reason: 'wsgi.py provides the WSGI application.' },
  ],
  [
    '8. the project package, src/ layout, with a factory',
    { 'pyproject.toml': '[project]\nname = "My-Shop"\n', 'src/my_shop/__init__.py': FACTORY },
    {},
    {
      kind: 'wsgi',
      home: 'src',
      target: { module: 'my_shop', callable: 'create_app', factory: true },
      reason: 'pyproject.toml names the project my_shop, whose module defines my_shop:create_app().',
    },
  ],
  [
    '8. setup.py name',
    { 'setup.py': 'setup(name="blog")\n', 'blog.py': FLASK_APP },
    {},
    {
      kind: 'wsgi',
      target: { module: 'blog', callable: 'app' },
      reason: 'setup.py names the project blog, whose module defines blog:app.',
    },
  ],
  [
    '8. a single [project.scripts] entry',
    { 'pyproject.toml': '[project]\nname = "tool"\n[project.scripts]\nserve = "tool.cli:main"\n' },
    {},
    { kind: 'script', name: 'serve', reason: 'pyproject.toml [project.scripts] defines one script, serve, run as web.' },
  ],
  [
    '8. two scripts: no start command',
    { 'pyproject.toml': '[project]\nname = "tool"\n[project.scripts]\na = "t:a"\nb = "t:b"\n' },
    {},
    { kind: 'none' },
  ],
])('%s', (_name, files, config, expected, extra = {}) => expect(chooseEntryPoint(app(files, extra), config)).toMatchObject(expected));

test('APP_HOME outside the app is refused', () => {
  expect(() => chooseEntryPoint(app({ '.s2i/environment': 'APP_HOME=../etc\n' }), {})).toThrow('APP_HOME points outside the app');
});

const FASTAPI = 'from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/")\ndef root():\n    return {"hello": "world"}\n';

test.each<[string, Record<string, string>, Record<string, string>, object]>([
  [
    'a FastAPI main.py',
    { 'main.py': FASTAPI },
    {},
    {
      kind: 'wsgi',
      target: { module: 'main', callable: 'app', interface: 'asgi' },
      reason: 'main.py defines the ASGI app main:app and starts no server itself, so it is served.',
    },
  ],
  [
    'a Starlette app under another name',
    { 'app.py': 'from starlette.applications import Starlette\nweb = Starlette(routes=[])\n' },
    {},
    { target: { module: 'app', callable: 'web', interface: 'asgi' } },
  ],
  [
    'an ASGI factory',
    { 'main.py': 'from fastapi import FastAPI\n\ndef create_app():\n    return FastAPI()\n' },
    {},
    { target: { module: 'main', callable: 'create_app', factory: true, interface: 'asgi' } },
  ],
  [
    'asgi.py',
    { 'asgi.py': 'from quart import Quart\napplication = Quart(__name__)\n' },
    {},
    {
      target: { module: 'asgi', callable: 'application', interface: 'asgi' },
      reason: 'asgi.py provides the ASGI application asgi:application.',
    },
  ],
  [
    'BP_ASGI_MODULE',
    { 'svc/api.py': 'api = make()\n' },
    { BP_ASGI_MODULE: 'svc.api:api' },
    { target: { module: 'svc.api', callable: 'api', interface: 'asgi' }, reason: 'BP_ASGI_MODULE names the ASGI app svc.api:api.' },
  ],
  [
    'Django with ASGI_APPLICATION and daphne required',
    {
      'manage.py': DJANGO_MANAGE,
      'requirements.txt': 'Django\ndaphne\n',
      'mysite/settings.py': `${DJANGO_SETTINGS}ASGI_APPLICATION = 'mysite.asgi.application'\n`,
      'mysite/wsgi.py': 'application = 1',
      'mysite/asgi.py': 'application = 1',
    },
    {},
    {
      target: { module: 'mysite.asgi', callable: 'application', interface: 'asgi' },
      reason: expect.stringContaining(
        "Django's ASGI_APPLICATION mysite.asgi:application is served instead, because the requirements name an ASGI server.",
      ),
    },
  ],
  [
    'Django with ASGI_APPLICATION but no ASGI server: WSGI',
    {
      'manage.py': DJANGO_MANAGE,
      'requirements.txt': 'Django\ngunicorn\n',
      'mysite/settings.py': `${DJANGO_SETTINGS}ASGI_APPLICATION = 'mysite.asgi.application'\n`,
      'mysite/wsgi.py': 'application = 1',
      'mysite/asgi.py': 'application = 1',
    },
    {},
    { target: { module: 'mysite.wsgi', callable: 'application' } },
  ],
  [
    'BP_DJANGO_INTERFACE=asgi',
    {
      'manage.py': DJANGO_MANAGE,
      'mysite/settings.py': DJANGO_SETTINGS,
      'mysite/wsgi.py': 'application = 1',
      'mysite/asgi.py': 'application = 1',
    },
    { BP_DJANGO_INTERFACE: 'asgi' },
    { target: { module: 'mysite.asgi', callable: 'application', interface: 'asgi' } },
  ],
])('ASGI: %s', (_name, files, config, expected) => expect(chooseEntryPoint(app(files), config)).toMatchObject(expected));
