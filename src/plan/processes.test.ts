import type { EntryPoint } from './entry-point.js';
import { planProcesses, type StaticPlan } from './processes.js';
import { planServer } from './server.js';

const WSGI: EntryPoint = { kind: 'wsgi', target: { module: 'wsgi', callable: 'application' }, reason: '' };
const DJANGO: EntryPoint = {
  ...WSGI,
  target: { module: 'mysite.wsgi', callable: 'application' },
  django: { settingsModule: 'mysite.settings' },
};
const dists = (...names: string[]) => names.map((name) => ({ name, version: '1' }));
const server = (setting?: string, entry: EntryPoint = WSGI) =>
  planServer(setting, entry, { wsgi: 'gunicorn==23.0.0', asgi: 'uvicorn==0.38.0' });
const STATICS: StaticPlan = { url: '/static/', root: '/workspace/staticfiles', byApp: false };

test.each<[string, EntryPoint, ReturnType<typeof dists>, string | undefined, StaticPlan | undefined, object]>([
  [
    'Procfile lines run through sh, each under the init',
    {
      kind: 'procfile',
      types: new Map([
        ['web', 'gunicorn app:app'],
        ['worker', 'python w.py'],
      ]),
      reason: '',
    },
    [],
    undefined,
    undefined,
    {
      installedServers: [],
      programs: {
        web: { argv: ['sh', '-c', 'exec gunicorn app:app'], init: true },
        worker: { argv: ['sh', '-c', 'exec python w.py'], init: true },
      },
    },
  ],
  [
    'app.sh is web',
    { kind: 'shell', file: 'app.sh', reason: '' },
    [],
    undefined,
    undefined,
    { installedServers: [], programs: { web: { argv: ['./app.sh'], init: true } } },
  ],
  [
    'app.py is web',
    { kind: 'python', file: 'app.py', reason: '' },
    [],
    undefined,
    undefined,
    { installedServers: [], programs: { web: { argv: ['python', 'app.py'], init: true } } },
  ],
  [
    'WSGI: installed servers in warpdrive order',
    WSGI,
    dists('waitress', 'Flask', 'gunicorn'),
    undefined,
    undefined,
    { wsgi: { module: 'wsgi', callable: 'application', whitenoise: false }, installedServers: ['gunicorn', 'waitress'], programs: {} },
  ],
  [
    'WSGI: the requested server, installed, is the build choice',
    WSGI,
    dists('waitress', 'gunicorn'),
    'waitress',
    undefined,
    { installedServers: ['gunicorn', 'waitress'], buildServer: { name: 'waitress', origin: 'BP_PYTHON_SERVER' } },
  ],
  [
    'WSGI: a requested server that is not installed is no build choice',
    WSGI,
    dists('gunicorn'),
    'uwsgi',
    undefined,
    { installedServers: ['gunicorn'] },
  ],
  [
    'Django adds migrate; WhiteNoise installed wraps the app',
    DJANGO,
    dists('Django', 'whitenoise', 'gunicorn'),
    undefined,
    STATICS,
    {
      wsgi: {
        module: 'mysite.wsgi',
        callable: 'application',
        whitenoise: true,
        static: { url: '/static/', root: '/workspace/staticfiles' },
      },
      programs: { migrate: { argv: ['python', 'manage.py', 'migrate', '--noinput'], init: true } },
    },
  ],
  [
    'Django whose middleware serves statics: no wrapper',
    DJANGO,
    dists('Django', 'whitenoise', 'gunicorn'),
    undefined,
    { ...STATICS, byApp: true },
    { wsgi: { whitenoise: false } },
  ],
])('%s', (_name, entry, installed, setting, statics, expected) => {
  const plan = planProcesses(entry, installed, server(setting, entry), statics);
  expect(plan).toMatchObject(expected);
  if (!('buildServer' in expected)) expect(plan.buildServer).toBeUndefined();
});
