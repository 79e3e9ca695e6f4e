import type { LayerEnv } from '../cnb/layer-env.js';
import { layerDirEntries } from '../cnb/layer-env.js';
import { buildStepEnv, pipEnvironment } from './pip-env.js';

const cpython: LayerEnv = {
  dirs: layerDirEntries('/l/cpython', { bin: true, lib: true }),
  files: [{ scope: 'build', action: 'override', name: 'SOURCE_DATE_EPOCH', value: '1' }],
};
const venv: LayerEnv = {
  dirs: layerDirEntries('/l/venv', { bin: true }),
  files: [{ scope: 'all', action: 'override', name: 'VIRTUAL_ENV', value: '/l/venv' }],
};

test('later layers come first on PATH, after which the build env PATH follows', () => {
  const env = buildStepEnv({ PATH: '/usr/bin:/bin', LD_LIBRARY_PATH: '/opt/lib' }, {}, [cpython, venv]);
  expect([env.PATH, env.LD_LIBRARY_PATH, env.VIRTUAL_ENV, env.SOURCE_DATE_EPOCH]).toEqual([
    '/l/venv/bin:/l/cpython/bin:/usr/bin:/bin',
    '/l/cpython/lib:/opt/lib',
    '/l/venv',
    '1',
  ]);
});

test('a build env without PATH gets the usual one; only named variables pass', () => {
  const env = buildStepEnv(
    { HOME: '/h', SECRET: 'x', HTTPS_PROXY: 'http://p:3128', PIP_INDEX_URL: 'https://i/' },
    { DJANGO_SECRET_KEY: 'k' },
    [],
  );
  expect(env).toEqual({ HOME: '/h', HTTPS_PROXY: 'http://p:3128', DJANGO_SECRET_KEY: 'k', PATH: '/usr/local/bin:/usr/bin:/bin' });
});

test("pip gets the user's PIP_* settings, then a binding's, then pywarp's cache; never PIP_CACHE_DIR from the user", () => {
  const env = pipEnvironment(
    { PATH: '/bin' },
    { PIP_INDEX_URL: 'https://a/', PIP_CACHE_DIR: '/mine', OTHER: '1' },
    { PIP_INDEX_URL: 'https://u:p@b/' },
    '/l/pip-cache',
  );
  expect(env).toEqual({ PATH: '/bin', PIP_INDEX_URL: 'https://u:p@b/', PIP_CACHE_DIR: '/l/pip-cache', PIP_DISABLE_PIP_VERSION_CHECK: '1' });
});
