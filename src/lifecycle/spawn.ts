import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { EXIT } from '../cnb/exit-codes.js';
import { BuildError } from '../output/build-error.js';

/** Signals a container runtime or a terminal sends that the app must get, not us. */
export const FORWARDED_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'] as const;

/** A shell's convention for a process killed by a signal: 128 + its number. */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (signal) return 128 + (constants.signals[signal] ?? 0);
  return code ?? EXIT.error;
}

export interface SpawnRequest {
  file: string;
  argv: readonly string[];
  cwd: string;
  env: Readonly<Record<string, string>>;
}

/**
 * Node cannot exec(2), so the app runs as our child and we stand in for it: stdio is
 * shared, the signals above are passed on, and our exit status is the child's. The
 * handlers go in before the spawn so that no signal can kill us and orphan the app.
 */
export function spawnForwardingSignals(request: SpawnRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    const forward = (signal: NodeJS.Signals) => {
      child.kill(signal);
    };
    for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
    const stopForwarding = () => {
      for (const signal of FORWARDED_SIGNALS) process.off(signal, forward);
    };
    let child: ChildProcess;
    try {
      child = spawn(request.file, request.argv.slice(1), { argv0: request.argv[0], cwd: request.cwd, env: request.env, stdio: 'inherit' });
    } catch (err) {
      stopForwarding();
      reject(new BuildError({ kind: 'process-start-failed', file: request.file, detail: (err as Error).message }));
      return;
    }
    child.once('error', (err) => {
      stopForwarding();
      reject(new BuildError({ kind: 'process-start-failed', file: request.file, detail: err.message }));
    });
    child.once('exit', (code, signal) => {
      stopForwarding();
      resolve(exitCodeOf(code, signal));
    });
  });
}
