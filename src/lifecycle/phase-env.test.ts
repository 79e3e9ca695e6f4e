import { apiGatedVars, phaseEnv } from './phase-env.js';

const caller = { PATH: '/usr/bin', HOME: '/home/u', LANG: 'C.UTF-8', PIP_INDEX_URL: 'http://x', http_proxy: 'p', LD_LIBRARY_PATH: '/lib' };

test('only the include-listed and PATH-like variables pass through', () => {
  expect(phaseEnv({ caller, platformEnv: {}, clearEnv: false, cnb: {} })).toEqual({
    PATH: '/usr/bin',
    HOME: '/home/u',
    http_proxy: 'p',
    LD_LIBRARY_PATH: '/lib',
  });
});

test('platform env prepends to PATH-like variables with ":" and overrides the others', () => {
  const env = phaseEnv({ caller, platformEnv: { PATH: '/extra', CPATH: '/inc', HOME: '/other', BP_X: '1' }, clearEnv: false, cnb: {} });
  expect(env).toMatchObject({ PATH: '/extra:/usr/bin', CPATH: '/inc', HOME: '/other', BP_X: '1' });
});

test('clear-env keeps the platform env out', () => {
  const env = phaseEnv({ caller, platformEnv: { PATH: '/extra', BP_X: '1' }, clearEnv: true, cnb: {} });
  expect(env.PATH).toBe('/usr/bin');
  expect(env).not.toHaveProperty('BP_X');
});

test('the CNB variables win over the platform env', () => {
  const env = phaseEnv({ caller, platformEnv: { CNB_PLATFORM_DIR: '/fake' }, clearEnv: false, cnb: { CNB_PLATFORM_DIR: '/platform' } });
  expect(env.CNB_PLATFORM_DIR).toBe('/platform');
});

test.each([
  ['0.9', {}],
  ['0.10', { CNB_TARGET_OS: 'linux' }],
  ['0.12', { CNB_TARGET_OS: 'linux', CNB_EXEC_ENV: 'production' }],
])('Buildpack API %s gets %j', (api, expected) => {
  expect(apiGatedVars(api, { CNB_TARGET_OS: 'linux' })).toEqual(expected);
});
