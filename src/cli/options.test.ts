import { createHash } from 'node:crypto';
import { bundledBuildpackDir, defaultWorkDirs, parseEnvAssignment, STATE_DIR_PATTERN, stateDir, stateHome } from './options.js';

const hash = createHash('sha256').update('/src/my-app').digest('hex').slice(0, 8);

test('work dirs default under $XDG_CACHE_HOME, named after the app and a hash of its path', () => {
  expect(defaultWorkDirs('/src/my-app', { XDG_CACHE_HOME: '/xdg', HOME: '/home/u' })).toEqual({
    layers: `/xdg/pywarp/my-app-${hash}/layers`,
    cache: `/xdg/pywarp/my-app-${hash}/cache`,
    platform: `/xdg/pywarp/my-app-${hash}/platform`,
  });
});

test('an empty XDG_CACHE_HOME falls back to $HOME/.cache', () => {
  expect(defaultWorkDirs('/src/my-app', { XDG_CACHE_HOME: '', HOME: '/home/u' }, 1000).layers).toBe(
    `/home/u/.cache/pywarp/my-app-${hash}/layers`,
  );
});

test('with neither variable there is no default', () => {
  expect(() => defaultWorkDirs('/src/my-app', {}, 1000)).toThrow(/HOME or XDG_CACHE_HOME/);
});

test.each<[Record<string, string>, number, string]>([
  [{ HOME: '/home/u' }, 1000, '/home/u/.cache/pywarp'],
  [{ HOME: '/home/u', XDG_CACHE_HOME: '/c' }, 1000, '/c/pywarp'],
  // root's home is private: Apache's unprivileged workers could not read a venv in it
  [{ HOME: '/root' }, 0, '/var/cache/pywarp'],
  [{ HOME: '/root', XDG_CACHE_HOME: '/c' }, 0, '/c/pywarp'],
])('stateHome(%j, uid %d) is %s', (env, uid, expected) => expect(stateHome(env, uid)).toBe(expected));

test("an app's state folder sits in the pywarp folder, and is what clean may remove", () => {
  expect(stateHome({ HOME: '/home/u' }, 1000)).toBe('/home/u/.cache/pywarp');
  expect(stateDir('/src/my-app', { HOME: '/home/u' }, 1000)).toBe(`/home/u/.cache/pywarp/my-app-${hash}`);
  expect(
    [`my-app-${hash}`, 'a-b-0123abcd', 'notes.txt', 'my-app', 'x-0123ABCD', '-0123abcd'].map((n) => STATE_DIR_PATTERN.test(n)),
  ).toEqual([true, true, false, false, false, false]);
});

test('the bundled buildpack is the directory above dist/', () => {
  expect(bundledBuildpackDir('file:///opt/pywarp/dist/pywarp.js')).toBe('/opt/pywarp');
});

test.each([
  ['A=1', ['A', '1']],
  ['URL=http://x/?a=b', ['URL', 'http://x/?a=b']],
  ['EMPTY=', ['EMPTY', '']],
])('-e %s', (text, expected) => {
  expect(parseEnvAssignment(text)).toEqual(expected);
});

test.each(['NOVALUE', '=x', '1A=x', 'A.B=x', 'A/B=x'])('-e %s is rejected', (text) => {
  expect(() => parseEnvAssignment(text)).toThrow(/NAME=VALUE/);
});
