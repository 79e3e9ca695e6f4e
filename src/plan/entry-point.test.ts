import { appFilesFrom } from '../effects/read-app.js';
import { buildErrorOf } from '../../test/support/build-errors.js';
import { chooseEntryPoint, definesName, entryPointSources } from './entry-point.js';

const DJANGO_MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n";
const DJANGO_SETTINGS = "INSTALLED_APPS = [\n    'django.contrib.staticfiles',\n]\nWSGI_APPLICATION = 'mysite.wsgi.application'\nSTATIC_URL = 'static/'\n";
const app = (files: Record<string, string>, extra: { dirs?: string[]; executables?: string[] } = {}) => {
  const a = appFilesFrom('/app', files, extra);
  // Files below the top level are only in `contents` (read on demand).
  for (const [k, v] of Object.entries(files)) if (k.includes('/')) (a.contents as Map<string, string>).set(k, v);
  return a;
};

test.each<[string, Record<string, string>, object, { dirs?: string[]; executables?: string[] }?, Record<string, string>?]>([
  ['Procfile first', { Procfile: 'web: gunicorn app:app\nworker: python w.py\n', 'app.py': '' }, { kind: 'procfile' }],
  ['executable app.sh', { 'app.sh': '', 'app.py': '' }, { kind: 'shell', file: 'app.sh' }, { executables: ['app.sh'] }],
  ['app.py', { 'app.py': '', 'wsgi.py': 'application = 1' }, { kind: 'python', file: 'app.py' }],
  ['Django', { 'manage.py': DJANGO_MANAGE, 'mysite/settings.py': DJANGO_SETTINGS, 'mysite/wsgi.py': 'application = get_wsgi_application()' }, { kind: 'wsgi', target: { module: 'mysite.wsgi', callable: 'application' }, django: { settingsModule: 'mysite.settings', staticfiles: true, staticRootSet: false } }],
  ['wsgi.py', { 'wsgi.py': 'from app import app as application\n' }, { kind: 'wsgi', target: { module: 'wsgi', callable: 'application' } }],
  ['wsgi/ package', { 'wsgi/__init__.py': 'def application(environ, start_response):\n    pass\n' }, { kind: 'wsgi', target: { module: 'wsgi', callable: 'application' } }, { dirs: ['wsgi'] }],
  ['BP_WSGI_MODULE and BP_WSGI_CALLABLE', { 'app.py': '', 'web/main.py': 'app = make()\n' }, { kind: 'wsgi', target: { module: 'web.main', callable: 'app' } }, {}, { BP_WSGI_MODULE: 'web.main', BP_WSGI_CALLABLE: 'app' }],
])('%s', (_n, files, expected, extra = {}, config = {}) => expect(chooseEntryPoint(app(files, extra), config)).toMatchObject(expected));

test('a non-executable app.sh is skipped, and the error says why', () => {
  expect(() => chooseEntryPoint(app({ 'app.sh': '' }), {})).toThrow('No way to start the app was found');
  expect(buildErrorOf(() => chooseEntryPoint(app({ 'app.sh': '' }), {})).body).toContain('chmod +x app.sh');
});

test('wsgi.py without the callable is a titled error', () => {
  expect(() => chooseEntryPoint(app({ 'wsgi.py': 'app = Flask(__name__)\n' }), {})).toThrow('wsgi has no WSGI callable named application');
});

test('a bad Procfile line is an error', () => expect(() => chooseEntryPoint(app({ Procfile: 'web gunicorn\n' }), {})).toThrow('The Procfile has lines pywarp cannot read'));

test.each([
  ['application = app', true], ['application: Callable = app', true], ['def application(e, s):', true], ['async def application(s, r, x):', true],
  ['from app import app as application', true], ['from mysite.wsgi import application', true], ['class application:', true],
  ['app = Flask()', false], ['    application = x', false], ['# application = x', false],
])('definesName(%j)', (src, expected) => expect(definesName(src, 'application')).toBe(expected));

test('Django: once the settings are read, their WSGI module is a source too', () => {
  const before = entryPointSources(app({ 'manage.py': DJANGO_MANAGE }), {});
  const after = entryPointSources(app({ 'manage.py': DJANGO_MANAGE, 'mysite/settings.py': DJANGO_SETTINGS }), {});
  expect(before).toEqual(['mysite/settings.py', 'mysite/settings/__init__.py']);
  expect(after).toEqual([...before, 'mysite/wsgi.py', 'mysite/wsgi/__init__.py']);
});

test('sources to read: the settings module, the wsgi package, BP_WSGI_MODULE', () => {
  expect(entryPointSources(app({ 'manage.py': DJANGO_MANAGE }, { dirs: ['wsgi'] }), { BP_WSGI_MODULE: 'a.b' })).toEqual([
    'mysite/settings.py', 'mysite/settings/__init__.py', 'wsgi/__init__.py', 'a/b.py', 'a/b/__init__.py',
  ]);
});
