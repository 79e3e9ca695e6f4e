import { assembleLaunchEnv, launchEnvDirs, type LaunchLayer } from './launch-env.js';

const layer = (path: string, envDirs: Record<string, string>[], extra: Partial<LaunchLayer> = {}): LaunchLayer => ({
  path,
  hasBin: false,
  hasLib: false,
  envDirs: envDirs.map((files) => new Map(Object.entries(files))),
  ...extra,
});

test('the launcher variables are dropped from the caller env', () => {
  const env = assembleLaunchEnv(
    {
      CNB_LAYERS_DIR: '/l',
      CNB_APP_DIR: '/a',
      CNB_PROCESS_TYPE: 'web',
      CNB_PLATFORM_API: '0.15',
      CNB_DEPRECATION_MODE: 'quiet',
      KEEP: '1',
    },
    [],
  );
  expect(env).toEqual({ KEEP: '1' });
});

test('bin and lib are prepended layer by layer, so the later layer comes first', () => {
  const env = assembleLaunchEnv({ PATH: '/usr/bin' }, [
    layer('/l/a', [], { hasBin: true, hasLib: true }),
    layer('/l/b', [], { hasBin: true }),
  ]);
  expect(env.PATH).toBe('/l/b/bin:/l/a/bin:/usr/bin');
  expect(env.LD_LIBRARY_PATH).toBe('/l/a/lib');
});

test('override beats the caller, default yields to it', () => {
  const env = assembleLaunchEnv({ BARE: 'caller', OVR: 'caller', DEF: 'caller' }, [
    layer('/l/a', [{ BARE: 'layer', 'OVR.override': 'layer', 'DEF.default': 'layer', 'UNSET.default': 'layer' }]),
  ]);
  expect(env).toEqual({ BARE: 'layer', OVR: 'layer', DEF: 'caller', UNSET: 'layer' });
});

test('env, env.launch and env.launch/<type> apply in that order within a layer, layers in order', () => {
  const env = assembleLaunchEnv({}, [
    layer('/l/a', [
      { 'LIST.append': 'env', 'LIST.delim': ',', WHO: 'env' },
      { 'LIST.append': 'launch', 'LIST.delim': ',', WHO: 'launch' },
      { 'LIST.append': 'web', 'LIST.delim': ',' },
    ]),
    layer('/l/b', [{ 'LIST.append': 'b', 'LIST.delim': ',', 'FIRST.default': 'b' }]),
  ]);
  expect(env).toEqual({ LIST: 'env,launch,web,b', WHO: 'launch', FIRST: 'b' });
});

test('launchEnvDirs adds the process directory only for a process type', () => {
  expect(launchEnvDirs(undefined)).toEqual(['env', 'env.launch']);
  expect(launchEnvDirs('web')).toEqual(['env', 'env.launch', 'env.launch/web']);
});
