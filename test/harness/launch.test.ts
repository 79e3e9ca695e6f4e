// `pywarp launch`: process selection and args, working dir, exec.d and exit codes (spec §4.6, §5).
import path from 'node:path';
import { BUILDPACKS, build, executable, launch, makeSandbox, parseEnv, pywarp, removeSandbox, writeTree, type Sandbox } from './harness.js';

const LAUNCH_TOML = `
[[processes]]
type = "echo-fixed"
command = ["echo", "fixed"]
args = ["d1", "d2"]
default = true

[[processes]]
type = "echo"
command = ["echo"]
args = ["d1"]

[[processes]]
type = "in-sub"
command = ["pwd"]
working-dir = "sub"

[[processes]]
type = "show"
command = ["env"]

[[processes]]
type = "env"
command = ["env"]

[[processes]]
type = "exit7"
command = ["sh", "-c", "exit 7"]

[[processes]]
type = "missing"
command = ["no-such-command"]
`;

const EXEC_D = {
  'out/x.toml': '[types]\nlaunch = true\n',
  'out/x/env/FROM_EXECD': 'from an env file',
  'out/x/exec.d/10-first': executable(`#!/bin/sh
[ -z "$EXECD_FAIL" ] || { echo "exec.d failing on purpose" >&2; exit 3; }
[ -z "$EXECD_BAD" ] || { echo 'A = 1' >&3; exit 0; }
echo "exec.d stdout is the launch's"
printf 'FROM_EXECD = "one"\\nEXECD_CWD = "%s"\\n' "$PWD" >&3
`),
  'out/x/exec.d/show/20-second': executable('#!/bin/sh\nprintf \'SECOND = "%s-two"\\n\' "$FROM_EXECD" >&3\n'),
};

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await makeSandbox();
  await writeTree(sandbox.app, { 'out/launch.toml': LAUNCH_TOML, 'sub/.keep': '', ...EXEC_D });
  const result = await build(sandbox, 'copy');
  expect(result.all).toContain('Process types: echo-fixed (default), echo, in-sub, show, env, exit7, missing');
  expect(result.exitCode).toBe(0);
}, 60_000);

afterAll(() => removeSandbox(sandbox));

const stdoutOf = async (args: string[]) => (await launch(sandbox, args)).stdout;

test('the default process runs with its command and default args', async () => {
  expect(await stdoutOf([])).toBe("exec.d stdout is the launch's\nfixed d1 d2");
});

test('user args replace the default args and keep command[1..]', async () => {
  expect(await stdoutOf(['--', 'u1', '--u2'])).toMatch(/^fixed u1 --u2$/m);
});

test('user args replace the default args of a one-element command', async () => {
  expect(await stdoutOf(['--process', 'echo'])).toMatch(/^d1$/m);
  expect(await stdoutOf(['--process', 'echo', '--', 'u1', 'u2'])).toMatch(/^u1 u2$/m);
});

test('working-dir is relative to the app', async () => {
  expect(await stdoutOf(['--process', 'in-sub'])).toMatch(new RegExp(`^${path.join(sandbox.app, 'sub')}$`, 'm'));
});

test('exec.d output is set over the env files, in order, with cwd = app; exec.d/<type> only for that type', async () => {
  const show = parseEnv(await stdoutOf(['--process', 'show']));
  expect(show).toMatchObject({ FROM_EXECD: 'one', SECOND: 'one-two', EXECD_CWD: sandbox.app });
  const other = parseEnv(await stdoutOf(['--process', 'env']));
  expect(other.FROM_EXECD).toBe('one');
  expect(other).not.toHaveProperty('SECOND');
});

test.each([
  ['a failing exec.d program', { EXECD_FAIL: '1' }, /exec\.d program failed/],
  ['exec.d output that is not string values', { EXECD_BAD: '1' }, /exec\.d program wrote invalid output/],
])('%s stops the launch with exit code 82', async (_, env, message) => {
  const result = await launch(sandbox, ['--process', 'show'], env);
  expect(result.exitCode).toBe(82);
  expect(result.all).toMatch(message);
});

test("the exit code is the process's own", async () => {
  expect((await launch(sandbox, ['--process', 'exit7'])).exitCode).toBe(7);
});

test.each([
  ['an unknown process type', ['--process', 'nope'], /Unknown process type "nope"/],
  ['a command not on the launch PATH', ['--process', 'missing'], /Command not found: no-such-command/],
])('%s is a launch error (82)', async (_, args, message) => {
  const result = await launch(sandbox, args);
  expect(result.exitCode).toBe(82);
  expect(result.all).toMatch(message);
});

describe('without a build', () => {
  let empty: Sandbox;
  beforeEach(async () => {
    empty = await makeSandbox();
  });
  afterEach(() => removeSandbox(empty));

  test('there is nothing to launch (82)', async () => {
    const result = await launch(empty);
    expect(result.exitCode).toBe(82);
    expect(result.all).toMatch(/Nothing to launch/);
  });

  test('build and launch with the default directories find each other', async () => {
    await writeTree(empty.app, { 'out/launch.toml': '[[processes]]\ntype = "hi"\ncommand = ["echo", "hi"]\ndefault = true\n' });
    const built = await pywarp(['build', empty.app, '--buildpack', path.join(BUILDPACKS, 'copy')], empty.env);
    expect(built.exitCode).toBe(0);
    const launched = await pywarp(['launch', empty.app], empty.env);
    expect(launched.stdout).toBe('hi');
  });
});
