// The `pywarp` command as a user meets it: --version, help with no arguments, where local
// state goes (and does not go), and `pywarp clean`.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { BUILDPACKS, makeSandbox, pywarp, removeSandbox, writeTree, type Sandbox } from './harness.js';

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await makeSandbox();
});
afterEach(async () => {
  await removeSandbox(sandbox);
});

const stateHome = () => path.join(sandbox.home, '.cache', 'pywarp');
/** The state folder pywarp names after the app and a hash of its path. */
const stateOf = (app: string) =>
  path.join(stateHome(), `${path.basename(app)}-${createHash('sha256').update(app).digest('hex').slice(0, 8)}`);
/** `pywarp build` with the default state folder, as a user types it. */
const buildDefault = (app: string, buildpack = 'copy') =>
  pywarp(['build', app, '--buildpack', path.join(BUILDPACKS, buildpack)], sandbox.env);

test('--version and -V print the version of buildpack.toml, and exit 0', async () => {
  const toml = await readFile(new URL('../../buildpack.toml', import.meta.url), 'utf8');
  const version = /^version = "([^"]+)"/m.exec(toml)?.[1];
  for (const flag of ['--version', '-V']) {
    const result = await pywarp([flag], sandbox.env);
    expect([result.exitCode, result.stdout.trim()]).toEqual([0, version]);
  }
});

test('no arguments prints the help, with every command, on stdout, and exits 0', async () => {
  const result = await pywarp([], sandbox.env);
  expect(result.exitCode).toBe(0);
  expect(result.stdout).toMatch(/^Usage: pywarp /);
  for (const command of ['build', 'launch', 'package', 'clean']) expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
});

test('package refuses an unknown architecture, and --arch with the multi-arch OCI format', async () => {
  const out = path.join(sandbox.root, 'out');
  const unknown = await pywarp(['package', '--output', out, '--arch', 'x64'], sandbox.env);
  expect([unknown.exitCode, unknown.all.trim()]).toEqual([
    1,
    "error: option '--arch <arch>' argument 'x64' is invalid. Allowed choices are amd64, arm64.",
  ]);
  const oci = await pywarp(['package', '--output', out, '--format', 'oci', '--arch', 'arm64'], sandbox.env);
  expect([oci.exitCode, oci.all.trim()]).toEqual([
    1,
    'error: --arch applies to --format tgz and dir; an OCI image layout always holds linux/amd64 and linux/arm64.',
  ]);
  expect(existsSync(out)).toBe(false);
});

test('a failed detection leaves no state folder behind', async () => {
  await writeTree(sandbox.app, { 'detect-exit': '100' });
  const result = await buildDefault(sandbox.app);
  expect(result.exitCode).toBe(100);
  expect(existsSync(stateHome())).toBe(false);
});

test('launch without a build says how to build, the way README runs pywarp', async () => {
  const result = await pywarp(['launch', sandbox.app], sandbox.env);
  expect(result.exitCode).toBe(82);
  expect(result.all).toContain(`Run 'npx pywarp build ${sandbox.app}' first.`);
});

describe('pywarp clean', () => {
  let other: string;
  beforeEach(async () => {
    other = path.join(sandbox.root, 'other');
    await mkdir(other);
    for (const app of [sandbox.app, other]) expect((await buildDefault(app)).exitCode).toBe(0);
    expect((await readdir(stateHome())).sort()).toEqual([path.basename(stateOf(sandbox.app)), path.basename(stateOf(other))].sort());
  });

  test("clean <app> removes that app's state only, and says so", async () => {
    const result = await pywarp(['clean', sandbox.app], sandbox.env);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Removed ${stateOf(sandbox.app)} \\(\\d+ KiB\\)$`, 'm'));
    expect(existsSync(stateOf(sandbox.app))).toBe(false);
    expect(existsSync(stateOf(other))).toBe(true);
    expect(existsSync(sandbox.app)).toBe(true);
    const again = await pywarp(['clean', sandbox.app], sandbox.env);
    expect([again.exitCode, again.stdout.trim()]).toEqual([0, `No local state for ${sandbox.app} (looked in ${stateOf(sandbox.app)}).`]);
  });

  test('clean <app> during a build of it removes nothing and names the build', async () => {
    const lockFile = path.join(stateOf(sandbox.app), 'layers', '.pywarp-build.lock');
    const ready = path.join(sandbox.root, 'locked');
    // A stand-in build: holds the lock as pywarp build does and names itself in the file.
    const holder = execa('flock', [lockFile, 'sh', '-c', `echo "pid $$" > ${lockFile}; : > ${ready}; exec sleep 60`], {
      detached: true,
      reject: false,
    });
    try {
      for (let waited = 0; !existsSync(ready) && waited < 10_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
      const result = await pywarp(['clean', sandbox.app], sandbox.env);
      expect(result.exitCode).toBe(1);
      expect(result.all).toContain('A build of this app is running');
      expect(result.all).toContain(`holds ${lockFile}`);
      expect(existsSync(path.join(stateOf(sandbox.app), 'layers'))).toBe(true);
    } finally {
      process.kill(-(holder.pid as number), 'SIGKILL');
      await holder;
    }
    expect((await pywarp(['clean', sandbox.app], sandbox.env)).exitCode).toBe(0);
  });

  test("clean with no app removes every app's state and nothing else under the pywarp folder", async () => {
    await writeFile(path.join(stateHome(), 'notes.txt'), 'mine');
    const result = await pywarp(['clean'], sandbox.env);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^Removed 2 builds, \d+ KiB in all\.$/m);
    expect(await readdir(stateHome())).toEqual(['notes.txt']);
    const again = await pywarp(['clean'], sandbox.env);
    expect(again.stdout.trim()).toBe(`Nothing to clean: ${stateHome()} holds no pywarp build.`);
  });

  test('XDG_CACHE_HOME moves the state, and clean follows it', async () => {
    const env = { ...sandbox.env, XDG_CACHE_HOME: path.join(sandbox.root, 'xdg') };
    expect((await pywarp(['build', other, '--buildpack', path.join(BUILDPACKS, 'copy')], env)).exitCode).toBe(0);
    expect(await readdir(path.join(sandbox.root, 'xdg', 'pywarp'))).toHaveLength(1);
    expect((await pywarp(['clean', other], env)).exitCode).toBe(0);
    expect(await readdir(path.join(sandbox.root, 'xdg', 'pywarp'))).toEqual([]);
    expect(existsSync(stateOf(other))).toBe(true);
  });
});
