import type { ResultPromise } from 'execa';

type Started = ResultPromise<{ all: true; reject: false }>;

/**
 * Sends `signal` to the process by its PID and waits (bounded) for it to end. Past the
 * bound, SIGKILL goes to its whole process group, so a server it started cannot outlive it.
 */
export async function stop(child: Started, signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 20_000): Promise<{ exitCode: number | undefined; output: string }> {
  if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, signal);
  const timer = setTimeout(() => { if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL'); }, timeoutMs);
  try {
    const result = await child;
    return { exitCode: result.exitCode, output: result.all ?? '' };
  } finally {
    clearTimeout(timer);
  }
}
