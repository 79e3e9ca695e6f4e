import { readFileSync } from 'node:fs';
import type { ResultPromise } from 'execa';

type Started = ResultPromise<{ all: true; reject: false }>;

/**
 * Sends `signal` to the process by its PID and waits (bounded) for it to end. Past the
 * bound, SIGKILL goes to its whole process group, so a server it started cannot outlive it.
 */
export async function stop(
  child: Started,
  signal: NodeJS.Signals = 'SIGTERM',
  timeoutMs = 20_000,
): Promise<{ exitCode: number | undefined; output: string }> {
  if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, signal);
  const timer = setTimeout(() => {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  }, timeoutMs);
  try {
    const result = await child;
    return { exitCode: result.exitCode, output: result.all ?? '' };
  } finally {
    clearTimeout(timer);
  }
}

/** Every process below `pid`, children first (from /proc; gone ones are left out). */
export function descendants(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
  return [...children, ...children.flatMap(descendants)];
}

/** Whether `pid` has a handler for `signum` (SigCgt in /proc); false when it is gone. */
export function catches(pid: number, signum: number): boolean {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^SigCgt:\s*([0-9a-f]+)$/m);
    return line !== null && (BigInt(`0x${line[1]}`) & (1n << BigInt(signum - 1))) !== 0n;
  } catch {
    return false;
  }
}

/** Whether `pid` is a live process (a zombie waiting for its parent counts as ended). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/**
 * Whether `pid` ends within `boundMs`: a process sent SIGKILL ends when the kernel next
 * schedules it, which on a busy machine is not at once.
 */
export async function ends(pid: number, boundMs = 5000): Promise<boolean> {
  for (let waited = 0; alive(pid) && waited < boundMs; waited += 50) await new Promise((r) => setTimeout(r, 50));
  return !alive(pid);
}
