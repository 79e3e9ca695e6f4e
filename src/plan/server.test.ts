import { buildErrorOf } from '../../test/support/build-errors.js';
import type { EntryPoint } from './entry-point.js';
import { planServer, serverToAdd } from './server.js';

const WSGI: EntryPoint = { kind: 'wsgi', target: { module: 'wsgi', callable: 'application' }, reason: '' };
const ASGI: EntryPoint = { kind: 'wsgi', target: { module: 'main', callable: 'app', interface: 'asgi' }, reason: '' };
const SCRIPT: EntryPoint = { kind: 'python', file: 'app.py', reason: '' };
const DEFAULTS = { wsgi: 'gunicorn==23.0.0', asgi: 'uvicorn==0.38.0' };
const PINNED = (requirement: string) => ({ requirements: [requirement], why: "the buildpack's default, pinned in buildpack.toml" });

test.each<[string, string | undefined, EntryPoint, object]>([
  [
    'WSGI app, nothing requested: the pinned default',
    undefined,
    WSGI,
    { interface: 'wsgi', toAdd: PINNED(DEFAULTS.wsgi), cacheKey: `server=${DEFAULTS.wsgi}` },
  ],
  [
    'ASGI app, nothing requested: the pinned ASGI default',
    undefined,
    ASGI,
    { interface: 'asgi', toAdd: PINNED(DEFAULTS.asgi), cacheKey: `server=${DEFAULTS.asgi}` },
  ],
  [
    'WSGI app, a server requested',
    'waitress',
    WSGI,
    {
      requested: 'waitress',
      interface: 'wsgi',
      toAdd: { requirements: ['waitress'], why: 'BP_PYTHON_SERVER' },
      cacheKey: 'server=waitress',
    },
  ],
  [
    'mod_wsgi requested: its distribution',
    'mod_wsgi',
    WSGI,
    {
      requested: 'mod_wsgi',
      interface: 'wsgi',
      toAdd: { requirements: ['mod-wsgi'], why: 'BP_PYTHON_SERVER' },
      cacheKey: 'server=mod_wsgi',
    },
  ],
  [
    'ASGI app on gunicorn: gunicorn with uvicorn workers',
    'gunicorn',
    ASGI,
    {
      requested: 'gunicorn',
      interface: 'asgi',
      toAdd: { requirements: ['gunicorn', 'uvicorn'], why: 'BP_PYTHON_SERVER' },
      cacheKey: 'server=gunicorn',
    },
  ],
  ['WSGI app, none', 'none', WSGI, { requested: 'none', interface: 'wsgi', cacheKey: 'server=none' }],
  ['an app that starts itself needs none', undefined, SCRIPT, { cacheKey: '' }],
  ['a request for an app that starts itself adds nothing', 'gunicorn', SCRIPT, { requested: 'gunicorn', cacheKey: '' }],
])('%s', (_name, setting, entry, expected) => {
  expect(planServer(setting, entry, DEFAULTS)).toEqual(expected);
});

test('an unknown server is refused, listing the known ones', () => {
  const err = buildErrorOf(() => planServer('tornado', WSGI, DEFAULTS));
  expect(err.title).toBe('BP_PYTHON_SERVER names an unknown server: tornado');
  expect(err.body).toContain('mod_wsgi, gunicorn, uwsgi, waitress, uvicorn, hypercorn, daphne');
});

test.each<[string, EntryPoint, string]>([
  ['waitress', ASGI, 'uvicorn, gunicorn, hypercorn, daphne'],
  ['uvicorn', WSGI, 'mod_wsgi, gunicorn, uwsgi, waitress'],
])('BP_PYTHON_SERVER=%s for the other interface is refused, naming the servers that can run it', (name, entry, able) => {
  const err = buildErrorOf(() => planServer(name, entry, DEFAULTS));
  expect(err.failure).toEqual({
    kind: 'server-wrong-interface',
    name,
    interface: entry.kind === 'wsgi' ? (entry.target.interface ?? 'wsgi') : 'wsgi',
    able: able.split(', '),
  });
});

test.each<[string, EntryPoint, { name: string }[], string | undefined]>([
  ['nothing installed: add', WSGI, [{ name: 'Flask' }], DEFAULTS.wsgi],
  ['a server among the requirements: add nothing', WSGI, [{ name: 'Flask' }, { name: 'Waitress' }], undefined],
  ['mod_wsgi under its distribution name', WSGI, [{ name: 'mod_wsgi' }], undefined],
  ['an ASGI server does not serve a WSGI app', WSGI, [{ name: 'uvicorn' }], DEFAULTS.wsgi],
  ['gunicorn alone does not serve an ASGI app', ASGI, [{ name: 'fastapi' }, { name: 'gunicorn' }], DEFAULTS.asgi],
  ['uvicorn installed: nothing to add', ASGI, [{ name: 'fastapi' }, { name: 'uvicorn' }], undefined],
])('serverToAdd: %s', (_name, entry, installed, adds) => {
  expect(serverToAdd(planServer(undefined, entry, DEFAULTS), installed)?.requirements[0]).toBe(adds);
});
