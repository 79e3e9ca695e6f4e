// Signals sent to `pywarp launch` must reach the app, which runs as its child (Node cannot exec).
import { build, makeSandbox, removeSandbox, startPywarp, waitFor, writeTree, type Sandbox } from './harness.js';

const FORWARDED = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'] as const;

// Traps every forwarded signal, says which one arrived, and exits 0.
const TRAP_ALL = `${FORWARDED.map((s) => `trap 'echo got ${s}; exit 0' ${s.slice(3)}`).join('; ')}; echo "ready $$"; while :; do sleep 0.05; done`;

const LAUNCH_TOML = `
[[processes]]
type = "trap"
command = ["sh", "-c", ${JSON.stringify(TRAP_ALL)}]

[[processes]]
type = "sleep"
command = ["sh", "-c", "echo \\"ready $$\\"; exec sleep 30"]
`;

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await makeSandbox();
  await writeTree(sandbox.app, { 'out/launch.toml': LAUNCH_TOML });
  expect((await build(sandbox, 'copy')).exitCode).toBe(0);
}, 60_000);

afterAll(() => removeSandbox(sandbox));

/**
 * Launches a process that prints "ready <its pid>", sends `signal` to pywarp once it is
 * up, and returns how pywarp ended. Both pywarp and the app are killed if still there.
 */
async function signalled(type: string, signal: NodeJS.Signals) {
  const subprocess = startPywarp(['launch', sandbox.app, '--layers', sandbox.layers, '--process', type], sandbox.env);
  let out = '';
  subprocess.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  let appPid: number | undefined;
  try {
    await waitFor(() => /ready \d+/.test(out), 'the process to start');
    appPid = Number(/ready (\d+)/.exec(out)?.[1]);
    process.kill(subprocess.pid ?? 0, signal);
    const result = await subprocess;
    return { exitCode: result.exitCode, out };
  } finally {
    subprocess.kill('SIGKILL');
    if (appPid)
      try {
        process.kill(appPid, 'SIGKILL');
      } catch {
        /* already gone */
      }
  }
}

test.each(FORWARDED)('%s sent to pywarp reaches the process, whose exit code is kept', async (signal) => {
  const { exitCode, out } = await signalled('trap', signal);
  expect(out).toContain(`got ${signal}`);
  expect(exitCode).toBe(0);
});

test('a process killed by a signal makes pywarp exit with 128 + its number', async () => {
  expect((await signalled('sleep', 'SIGTERM')).exitCode).toBe(143);
});
