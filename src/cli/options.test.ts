import { createHash } from 'node:crypto';
import { bundledBuildpackDir, defaultWorkDirs, parseEnvAssignment } from './options.js';

const hash = createHash('sha256').update('/src/my-app').digest('hex').slice(0, 8);

test('work dirs default under $XDG_CACHE_HOME, named after the app and a hash of its path', () => {
  expect(defaultWorkDirs('/src/my-app', { XDG_CACHE_HOME: '/xdg', HOME: '/home/u' })).toEqual({
    layers: `/xdg/pywarp/my-app-${hash}/layers`,
    cache: `/xdg/pywarp/my-app-${hash}/cache`,
    platform: `/xdg/pywarp/my-app-${hash}/platform`,
  });
});

test('an empty XDG_CACHE_HOME falls back to $HOME/.cache', () => {
  expect(defaultWorkDirs('/src/my-app', { XDG_CACHE_HOME: '', HOME: '/home/u' }).layers).toBe(`/home/u/.cache/pywarp/my-app-${hash}/layers`);
});

test('with neither variable there is no default', () => {
  expect(() => defaultWorkDirs('/src/my-app', {})).toThrow(/HOME or XDG_CACHE_HOME/);
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
