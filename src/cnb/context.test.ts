import { BuildError } from '../output/build-error.js';
import { readBuildContext, readDetectContext, readTarget } from './context.js';

const detectEnv = { CNB_BUILDPACK_DIR: '/cnb/bp', CNB_PLATFORM_DIR: '/platform', CNB_BUILD_PLAN_PATH: '/tmp/plan.toml' };
const buildEnv = {
  CNB_BUILDPACK_DIR: '/cnb/bp',
  CNB_LAYERS_DIR: '/layers/pywarp_python',
  CNB_PLATFORM_DIR: '/platform',
  CNB_BP_PLAN_PATH: '/tmp/bp-plan.toml',
};

describe('readDetectContext', () => {
  test('works from CNB_* alone, with no positional args (assertion 18)', () => {
    expect(readDetectContext(detectEnv, [], '/workspace')).toEqual({
      appDir: '/workspace',
      buildpackDir: '/cnb/bp',
      platformDir: '/platform',
      planPath: '/tmp/plan.toml',
      target: { os: 'linux', arch: 'amd64' },
      env: detectEnv,
    });
  });

  test('CNB_* win over positional args (spec D4)', () => {
    const ctx = readDetectContext(detectEnv, ['/other-platform', '/other-plan'], '/workspace');
    expect([ctx.platformDir, ctx.planPath]).toEqual(['/platform', '/tmp/plan.toml']);
  });

  test('positional args are the fallback', () => {
    const ctx = readDetectContext({ CNB_BUILDPACK_DIR: '/cnb/bp' }, ['/p', '/plan'], '/workspace');
    expect([ctx.platformDir, ctx.planPath]).toEqual(['/p', '/plan']);
  });

  test.each([
    ['CNB_BUILDPACK_DIR', { CNB_PLATFORM_DIR: '/p', CNB_BUILD_PLAN_PATH: '/x' }, ['/p', '/x']],
    ['CNB_PLATFORM_DIR', { CNB_BUILDPACK_DIR: '/b', CNB_BUILD_PLAN_PATH: '/x' }, []],
    ['CNB_BUILD_PLAN_PATH', { CNB_BUILDPACK_DIR: '/b', CNB_PLATFORM_DIR: '/p' }, ['/p']],
    ['CNB_BUILD_PLAN_PATH', { CNB_BUILDPACK_DIR: '/b', CNB_PLATFORM_DIR: '/p', CNB_BUILD_PLAN_PATH: '' }, []],
  ])('missing %s is a failure naming it', (name, env, argv) => {
    expect(() => readDetectContext(env, argv, '/workspace')).toThrow(new BuildError({ kind: 'cnb-context-missing', name }));
  });
});

describe('readBuildContext', () => {
  test('works from CNB_* alone, with no positional args (assertion 26)', () => {
    expect(readBuildContext(buildEnv, [], '/workspace')).toEqual({
      appDir: '/workspace',
      buildpackDir: '/cnb/bp',
      layersDir: '/layers/pywarp_python',
      platformDir: '/platform',
      bpPlanPath: '/tmp/bp-plan.toml',
      target: { os: 'linux', arch: 'amd64' },
      env: buildEnv,
    });
  });

  test('CNB_* win over positional args (spec D4)', () => {
    const ctx = readBuildContext(buildEnv, ['/l', '/p', '/plan'], '/workspace');
    expect([ctx.layersDir, ctx.platformDir, ctx.bpPlanPath]).toEqual(['/layers/pywarp_python', '/platform', '/tmp/bp-plan.toml']);
  });

  test('positional args ($1 layers, $2 platform, $3 plan) are the fallback', () => {
    const ctx = readBuildContext({ CNB_BUILDPACK_DIR: '/b' }, ['/l', '/p', '/plan'], '/workspace');
    expect([ctx.layersDir, ctx.platformDir, ctx.bpPlanPath]).toEqual(['/l', '/p', '/plan']);
  });

  test.each(['CNB_BUILDPACK_DIR', 'CNB_LAYERS_DIR', 'CNB_PLATFORM_DIR', 'CNB_BP_PLAN_PATH'])(
    'missing %s is a failure naming it',
    (name) => {
      const env: Record<string, string> = { ...buildEnv };
      delete env[name];
      expect(() => readBuildContext(env, [], '/workspace')).toThrow(new BuildError({ kind: 'cnb-context-missing', name }));
    },
  );
});

describe('CNB_EXEC_ENV (assertion 74)', () => {
  test('unset and "production" give the same context apart from env', () => {
    const { env: _a, ...unset } = readBuildContext(buildEnv, [], '/w');
    const { env: _b, ...production } = readBuildContext({ ...buildEnv, CNB_EXEC_ENV: 'production' }, [], '/w');
    expect(unset).toEqual(production);
  });
});

describe('readTarget (CNB_TARGET_*, assertion 75)', () => {
  test.each([
    ['nothing set: linux/amd64', {}, { os: 'linux', arch: 'amd64' }],
    ['os and arch', { CNB_TARGET_OS: 'linux', CNB_TARGET_ARCH: 'arm64' }, { os: 'linux', arch: 'arm64' }],
    [
      'everything',
      {
        CNB_TARGET_OS: 'linux',
        CNB_TARGET_ARCH: 'arm64',
        CNB_TARGET_ARCH_VARIANT: 'v8',
        CNB_TARGET_DISTRO_NAME: 'ubuntu',
        CNB_TARGET_DISTRO_VERSION: '24.04',
      },
      { os: 'linux', arch: 'arm64', archVariant: 'v8', distroName: 'ubuntu', distroVersion: '24.04' },
    ],
    [
      'empty optional values are left out',
      { CNB_TARGET_ARCH: 'amd64', CNB_TARGET_ARCH_VARIANT: '', CNB_TARGET_DISTRO_NAME: '', CNB_TARGET_DISTRO_VERSION: '' },
      { os: 'linux', arch: 'amd64' },
    ],
    [
      'distro without variant',
      { CNB_TARGET_ARCH: 'amd64', CNB_TARGET_DISTRO_NAME: 'ubuntu', CNB_TARGET_DISTRO_VERSION: '22.04' },
      { os: 'linux', arch: 'amd64', distroName: 'ubuntu', distroVersion: '22.04' },
    ],
  ])('%s', (_what, env, expected) => expect(readTarget(env)).toEqual(expected));

  test('the detect and build contexts carry the target', () => {
    const env = { CNB_TARGET_ARCH: 'arm64', CNB_TARGET_DISTRO_NAME: 'ubuntu', CNB_TARGET_DISTRO_VERSION: '24.04' };
    expect(readDetectContext({ ...detectEnv, ...env }, [], '/w').target).toEqual({
      os: 'linux',
      arch: 'arm64',
      distroName: 'ubuntu',
      distroVersion: '24.04',
    });
    expect(readBuildContext({ ...buildEnv, ...env }, [], '/w').target).toEqual({
      os: 'linux',
      arch: 'arm64',
      distroName: 'ubuntu',
      distroVersion: '24.04',
    });
  });
});
