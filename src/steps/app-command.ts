import { run, type RunOptions, type RunResult } from '../effects/run.js';
import { BuildError } from '../output/build-error.js';
import { tail } from '../plan/pip-failure.js';

/** What the error of an app command that ran out of time says: what it was, and a hint ('' for none). */
export interface AppCommand {
  what: string;
  hint: string;
}

/**
 * Runs one of the app's own commands at build time (BP_APP_COMMAND_TIMEOUT bounds it): past
 * `timeoutMs` it is killed with its process group and the build fails with its last lines.
 */
export async function runAppCommand(
  argv: readonly string[],
  command: AppCommand,
  opts: RunOptions & { timeoutMs: number },
): Promise<RunResult> {
  const result = await run(argv, opts);
  if (result.timedOut)
    throw new BuildError({ kind: 'app-command-timed-out', ...command, limitMs: opts.timeoutMs, lastLines: tail(result.output) });
  return result;
}
