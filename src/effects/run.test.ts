import { readFileSync } from 'node:fs';
import os from 'node:os';
import { run } from './run.js';

const cwd = os.tmpdir();
const PATH = '/usr/bin:/bin';

/** Whether `pid` is a live process (a zombie waiting for its parent counts as dead). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

function pids(text: string): number[] {
  return text.trim().split(/\s+/).map(Number);
}

describe('run', () => {
  test('the command gets exactly the env it is given, nothing of pywarp\'s own', async () => {
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
    expect(alive(child as number)).toBe(false);
    expect(alive(grandchild as number)).toBe(false);
  });

  test('a process the command left behind is killed when it exits, instead of holding the output open', async () => {
    const result = await run(['sh', '-c', 'sleep 1000 & echo $!'], { cwd, env: { PATH } });
    expect(result.exitCode).toBe(0);
    expect(result.timedOut).toBe(false);
    expect(alive(pids(result.stdout)[0] as number)).toBe(false);
  });

  test('no signal handler outlives the commands', async () => {
    const before = ['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => process.listenerCount(s));
    await Promise.all([run(['true'], { cwd, env: { PATH } }), run(['true'], { cwd, env: { PATH } })]);
    expect(['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => process.listenerCount(s))).toEqual(before);
  });
});
