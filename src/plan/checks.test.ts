import { buildErrorOf } from '../../test/support/build-errors.js';
import { checkEnvironment } from './checks.js';
import { pipBindingEnv, redactUrls } from './pip-binding.js';
import { pythonProjectMarkers } from './detect.js';

test('forbidden variables are refused, all named', () => {
  expect(() => checkEnvironment({ PATH: '/x', PIP_INDEX_URL: 'u' })).not.toThrow();
  const err = buildErrorOf(() => checkEnvironment({ PIP_TARGET: '/t', VIRTUAL_ENV: '/v' }));
  expect(err.title).toBe('Unsupported environment variables are set');
  expect(err.body).toMatch(/PIP_TARGET[\s\S]*VIRTUAL_ENV/);
});

test('pip binding: index with credentials, pip.conf', () => {
  const b = (entries: Record<string, string>) => ({ name: 'p', path: '/b/p', type: 'PIP', entries });
  expect(pipBindingEnv([b({ 'index-url': 'https://idx.example/simple/', username: 'u', password: 'p@ss' })])).toEqual({
    PIP_INDEX_URL: 'https://u:p%40ss@idx.example/simple/',
  });
  expect(pipBindingEnv([b({ 'pip.conf': '[global]' })])).toEqual({ PIP_CONFIG_FILE: '/b/p/pip.conf' });
  expect(pipBindingEnv([{ ...b({ 'index-url': 'https://x/' }), type: 'other' }])).toEqual({});
});

test.each([
  ['see https://u:p@h/x and http://tok@h2/', 'see https://***@h/x and http://***@h2/'],
  ['an empty user: http://:TOKEN@host/simple/', 'an empty user: http://***@host/simple/'],
  ['Looking in indexes: https://i.example/simple/?token=abc&x=1', 'Looking in indexes: https://i.example/simple/?***'],
  ["'https://m.example/a.tgz?sig=s3cret' and file:///tmp/x", "'https://m.example/a.tgz?***' and file:///tmp/x"],
  ['no URL here: a=b?c', 'no URL here: a=b?c'],
  [
    "after connection broken by 'NewConnectionError(...)': /simple/?token=s3cret/flask/",
    "after connection broken by 'NewConnectionError(...)': /simple/?***",
  ],
  ['GET "/a/b?sig=x" and /c?d=e', 'GET "/a/b?***" and /c?***'],
  ['what? a/b?c and ?x=1 alone stay', 'what? a/b?c and ?x=1 alone stay'],
  ['-e git+https://u:p@h/x.git#egg=x', '-e git+https://***@h/x.git#egg=x'],
  ['a long dotted word: ' + 'a.'.repeat(20_000) + 'b://u@h', 'a long dotted word: ' + 'a.'.repeat(20_000) + 'b://***@h'],
])('redactUrls(%j)', (text, expected) => expect(redactUrls(text)).toBe(expected));

test.each<[string[], string[]]>([
  [['requirements.txt', 'README.md'], ['requirements.txt']],
  [['requirments.txt'], ['requirments.txt']],
  [
    ['manage.py', 'wsgi'],
    ['manage.py', 'wsgi/'],
  ],
  [['index.js', 'package.json'], []],
  [
    ['pylock.prod.toml', 'pylock.toml'],
    ['pylock.toml', 'pylock.*.toml'],
  ],
  [['pylock.prod.toml'], ['pylock.*.toml']],
  [['pylock..toml', 'pylock.a.b.toml', 'pylock.toml.bak'], []],
  [['environment.yml'], ['environment.yml']],
])('detect markers %j', (names, markers) => {
  const set = new Set(names);
  expect(pythonProjectMarkers({ files: set, dirs: set })).toEqual(markers);
});
