import { buildErrorOf } from '../../test/support/build-errors.js';
import type { EntryPoint } from './entry-point.js';
import { planServer, serverToAdd } from './server.js';

const WSGI: EntryPoint = { kind: 'wsgi', target: { module: 'wsgi', callable: 'application' }, reason: '' };
const SCRIPT: EntryPoint = { kind: 'python', file: 'app.py', reason: '' };
const DEFAULT = 'gunicorn==23.0.0';
const PINNED = { requirement: DEFAULT, why: "the buildpack's default, pinned in buildpack.toml" };

test.each<[string, string | undefined, EntryPoint, object]>([
  ['WSGI app, nothing requested: the pinned default', undefined, WSGI, { needed: true, toAdd: PINNED, cacheKey: `server=${DEFAULT}` }],
  ['WSGI app, a server requested', 'waitress', WSGI, { requested: 'waitress', needed: true, toAdd: { requirement: 'waitress', why: 'BP_PYTHON_SERVER' }, cacheKey: 'server=waitress' }],
  ['mod_wsgi requested: its distribution', 'mod_wsgi', WSGI, { requested: 'mod_wsgi', needed: true, toAdd: { requirement: 'mod-wsgi', why: 'BP_PYTHON_SERVER' }, cacheKey: 'server=mod_wsgi' }],
  ['WSGI app, none', 'none', WSGI, { requested: 'none', needed: true, cacheKey: 'server=none' }],
  ['an app that starts itself needs none', undefined, SCRIPT, { needed: false, cacheKey: '' }],
  ['a request for an app that starts itself adds nothing', 'gunicorn', SCRIPT, { requested: 'gunicorn', needed: false, cacheKey: '' }],
])('%s', (_name, setting, entry, expected) => {
  const plan = planServer(setting, entry, DEFAULT);
  expect(plan).toEqual(expected);
});

test('an unknown server is refused, listing the known ones', () => {
  const err = buildErrorOf(() => planServer('tornado', WSGI, DEFAULT));
  expect([err.title, err.body]).toEqual([
    'BP_PYTHON_SERVER names an unknown server: tornado',
    'BP_PYTHON_SERVER must be one of mod_wsgi, gunicorn, uwsgi, waitress, or "none" to add no server.',
  ]);
});

test.each<[string, { name: string }[], boolean]>([
  ['nothing installed: add', [{ name: 'Flask' }], true],
  ['a server among the requirements: add nothing', [{ name: 'Flask' }, { name: 'Waitress' }], false],
  ['mod_wsgi under its distribution name', [{ name: 'mod_wsgi' }], false],
])('serverToAdd: %s', (_name, installed, adds) => {
  expect(serverToAdd(planServer(undefined, WSGI, DEFAULT), installed)).toEqual(adds ? PINNED : undefined);
});
