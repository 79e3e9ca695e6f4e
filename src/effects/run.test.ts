import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { execa } from 'execa';
import { alive, ends } from '../../test/support/processes.js';
import { run } from './run.js';

const cwd = os.tmpdir();
const PATH = '/usr/bin:/bin';

function pids(text: string): number[] {
  return text.trim().split(/\s+/).map(Number);
}

describe('run', () => {
  test("the command gets exactly the env it is given, nothing of pywarp's own", async () => {
    const result = await run(['/usr/bin/env'], { cwd, env: { ONLY: 'this' } });
    expect(result).toEqual({ exitCode: 0, output: 'ONLY=this\n', stdout: 'ONLY=this\n', timedOut: false });
  });

  test('output is written as it comes and kept merged; stdout is kept alone too', async () => {
    const written: string[] = [];
    const result = await run(['sh', '-c', 'echo out; echo err >&2; exit 3'], { cwd, env: { PATH }, write: (t) => written.push(t) });
    expect(result.exitCode).toBe(3);
    expect(written.join('').split('\n').sort()).toEqual(['', 'err', 'out']);
    expect(result.output.split('\n').sort()).toEqual(['', 'err', 'out']);
    expect(result.stdout).toBe('out\n');
  });

  test('input goes to stdin; without it stdin is closed', async () => {
    expect((await run(['cat'], { cwd, env: { PATH }, input: 'a\0b' })).stdout).toBe('a\0b');
    expect((await run(['cat'], { cwd, env: { PATH } })).stdout).toBe('');
  });

  test('runs in cwd', async () => {
    expect((await run(['pwd'], { cwd: '/', env: { PATH } })).stdout).toBe('/\n');
  });

  test('a command that cannot start fails with the reason in its output', async () => {
    const result = await run(['/nonexistent/pywarp-tool'], { cwd, env: { PATH } });
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain('ENOENT');
  });

  test('on timeout, the command and the processes it started are killed, SIGTERM-proof ones too', async () => {
    // sh starts a grandchild that ignores SIGTERM, prints both PIDs and waits for ever.
    const script = '(trap "" TERM; exec sleep 1000) & echo $$ $!; wait';
    const result = await run(['sh', '-c', script], { cwd, env: { PATH }, timeoutMs: 2000 });
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).not.toBe(0);
    const [child, grandchild] = pids(result.stdout);
    expect(child).toBeGreaterThan(0);
    expect(grandchild).toBeGreaterThan(0);
    expect(await ends(child as number)).toBe(true);
    expect(await ends(grandchild as number)).toBe(true);
  });

  test('a process the command left behind is killed when it exits, instead of holding the output open', async () => {
    const result = await run(['sh', '-c', 'sleep 1000 & echo $!'], { cwd, env: { PATH } });
    expect(result.exitCode).toBe(0);
    expect(result.timedOut).toBe(false);
    expect(await ends(pids(result.stdout)[0] as number)).toBe(true);
  });

  test('no signal handler outlives the commands', async () => {
    const before = ['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => process.listenerCount(s));
    await Promise.all([run(['true'], { cwd, env: { PATH } }), run(['true'], { cwd, env: { PATH } })]);
    expect(['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => process.listenerCount(s))).toEqual(before);
  });
});

describe('when pywarp itself is stopped', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'pywarp-run-'));
    // run.ts as pywarp ships it: bundled into a script of its own, in a real node process.
    await build({
      entryPoints: [path.join(path.dirname(fileURLToPath(import.meta.url)), 'run.ts')],
      outfile: path.join(tmp, 'run.mjs'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      logLevel: 'warning',
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    });
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  test.each(['SIGTERM', 'SIGINT'] as const)(
    '%s ends the commands it runs, then pywarp, by that signal',
    async (signal) => {
      const pidFile = path.join(tmp, `${signal}.pid`);
      const script = path.join(tmp, `${signal}.mjs`);
      await writeFile(
        script,
        `import { run } from './run.mjs';\nrun(['sh', '-c', 'sleep 1000 & echo $! > ${pidFile}; wait'], { cwd: '/', env: { PATH: '${PATH}' } });\n`,
      );
      const node = execa(process.execPath, [script], { reject: false, stdin: 'ignore' });
      let sleeper = '';
      for (let i = 0; i < 200 && !sleeper; i++) {
        sleeper = await readFile(pidFile, 'utf8').catch(() => '');
        if (!sleeper) await new Promise((r) => setTimeout(r, 50));
      }
      expect(alive(Number(sleeper))).toBe(true);
      node.kill(signal);
      const result = await node;
      expect(result.signal).toBe(signal);
      expect(await ends(Number(sleeper))).toBe(true);
    },
    30_000,
  );
});
