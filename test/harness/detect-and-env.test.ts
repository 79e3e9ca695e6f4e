// Detect (exit codes, plan resolution) and the environment detect and build get (spec §3, §4.1).
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build, BUILDPACKS, makeSandbox, parseEnv, removeSandbox, writeTree, type Sandbox } from './harness.js';

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await makeSandbox();
});
afterEach(() => removeSandbox(sandbox));

describe('detect', () => {
  test('exit 100 means no buildpack detected: exit 100 with the detect output shown', async () => {
    await writeTree(sandbox.app, { 'detect-exit': '100' });
    const result = await build(sandbox, 'copy');
    expect(result.exitCode).toBe(100);
    expect(result.all).toMatch(/No buildpack detected[\s\S]*copy: detecting/);
    expect(result.all).not.toContain('copy: building');
  });

  test('any other non-zero exit is an error, with the detect output shown', async () => {
    await writeTree(sandbox.app, { 'detect-exit': '3' });
    const result = await build(sandbox, 'copy');
    expect(result.exitCode).toBe(1);
    expect(result.all).toMatch(/bin\/detect exited with code 3[\s\S]*copy: detecting/);
  });

  test('a plan that provides what it does not require is not detected', async () => {
    await writeTree(sandbox.app, { 'plan.toml': '[[provides]]\nname = "thing"\n' });
    const result = await build(sandbox, 'copy');
    expect(result.exitCode).toBe(100);
  });

  test('an invalid plan is an error', async () => {
    await writeTree(sandbox.app, { 'plan.toml': '[[provides]]\nname = "a"\n[[requires]]\nname = "a"\nversion = "1"\n' });
    const result = await build(sandbox, 'copy');
    expect(result.exitCode).toBe(1);
    expect(result.all).toMatch(/invalid build plan[\s\S]*"version" key which is not supported/);
  });

  test('the first resolving [[or]] alternative becomes the buildpack plan', async () => {
    const plan =
      '[[provides]]\nname = "a"\n[[or]]\n[[or.provides]]\nname = "b"\n[[or.requires]]\nname = "b"\n[or.requires.metadata]\nv = "2"\n';
    await writeTree(sandbox.app, { 'plan.toml': plan });
    const result = await build(sandbox, 'copy');
    expect(result.exitCode).toBe(0);
    expect(result.all).toMatch(/--- plan\n\[\[entries\]\]\nname = "b"\n\n {2}\[entries\.metadata\]\n {2}v = "2"/);
  });
});

describe('the detect and build environment', () => {
  const CALLER = { LANG: 'C.UTF-8', PIP_INDEX_URL: 'http://pip.invalid', http_proxy: 'http://proxy.invalid' };

  /**
   * Runs the probe twice: once failing detect, which is when the lifecycle shows detect's
   * output (its env), once passing, to see bin/build's env.
   */
  async function probe(extra: string[] = [], buildpack = 'env-probe') {
    sandbox.env = { ...sandbox.env, ...CALLER };
    await writeTree(sandbox.app, { 'detect-exit': '100' });
    const failed = await build(sandbox, buildpack, extra);
    expect(failed.exitCode).toBe(100);
    await rm(path.join(sandbox.app, 'detect-exit'));
    const result = await build(sandbox, buildpack, extra);
    expect(result.exitCode).toBe(0);
    const buildOut = result.stdout.slice(result.stdout.indexOf('build args:'));
    return { detect: parseEnv(failed.all), build: parseEnv(buildOut), out: `${failed.all}\n${buildOut}` };
  }

  test('only include-listed variables pass from the caller; -e values are added, PATH ones prepended', async () => {
    const { detect, build: buildEnv } = await probe(['-e', 'GREETING=hello world', '-e', 'PATH=/extra']);
    for (const env of [detect, buildEnv]) {
      expect(env).toMatchObject({
        GREETING: 'hello world',
        PATH: `/extra:${sandbox.env.PATH}`,
        HOME: sandbox.home,
        http_proxy: 'http://proxy.invalid',
      });
      expect(env).not.toHaveProperty('LANG');
      expect(env).not.toHaveProperty('PIP_INDEX_URL');
    }
  });

  test('detect gets its plan path, build its layers dir and a read-only buildpack plan, both the platform and target', async () => {
    const { detect, build: buildEnv, out } = await probe();
    const bpDir = path.join(BUILDPACKS, 'env-probe');
    const target = { CNB_TARGET_OS: 'linux', CNB_TARGET_ARCH: process.arch === 'x64' ? 'amd64' : process.arch };
    expect(detect).toMatchObject({ CNB_BUILDPACK_DIR: bpDir, CNB_PLATFORM_DIR: sandbox.platform, ...target });
    expect(out).toContain(`detect args: ${sandbox.platform} ${detect.CNB_BUILD_PLAN_PATH}`);
    const layers = path.join(sandbox.layers, 'test_env-probe');
    expect(buildEnv).toMatchObject({ CNB_LAYERS_DIR: layers, CNB_BUILDPACK_DIR: bpDir, CNB_PLATFORM_DIR: sandbox.platform, ...target });
    expect(out).toContain(`build args: ${layers} ${sandbox.platform} ${buildEnv.CNB_BP_PLAN_PATH}`);
    expect(out).toContain(`build cwd: ${sandbox.app}`);
    expect(out).toMatch(/--- plan\n\[\[entries\]\]\nname = "probe"[\s\S]*from = "detect"\nplan mode: 444$/m);
  });

  test('each build rewrites <platform>/env from its own -e flags and leaves the rest of <platform> alone', async () => {
    await writeTree(sandbox.platform, { 'bindings/db/type': 'postgres' });
    await probe(['-e', 'OLD=1']);
    const { build: buildEnv } = await probe(['-e', 'NEW=2']);
    expect(buildEnv.NEW).toBe('2');
    expect(buildEnv).not.toHaveProperty('OLD');
    expect(await readFile(path.join(sandbox.platform, 'bindings/db/type'), 'utf8')).toBe('postgres');
  });

  test('with clear-env the -e values stay out of the env but are in <platform>/env', async () => {
    const clearEnvBp = path.join(sandbox.root, 'clear-env-bp');
    await cp(path.join(BUILDPACKS, 'env-probe'), clearEnvBp, { recursive: true });
    const toml = path.join(clearEnvBp, 'buildpack.toml');
    await writeFile(toml, (await readFile(toml, 'utf8')).replace('[buildpack]\n', '[buildpack]\nclear-env = true\n'));
    await mkdir(sandbox.platform, { recursive: true });
    const { detect, build: buildEnv } = await probe(['-e', 'GREETING=hi'], clearEnvBp);
    expect(detect).not.toHaveProperty('GREETING');
    expect(buildEnv).not.toHaveProperty('GREETING');
    expect(await readFile(path.join(sandbox.platform, 'env', 'GREETING'), 'utf8')).toBe('hi');
  });
});
