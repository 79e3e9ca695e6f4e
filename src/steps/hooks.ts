import path from 'node:path';
import type { Env } from '../cnb/env.js';
import { runAppCommand } from './app-command.js';
import type { Log } from '../output/log.js';
import { BuildError } from '../output/build-error.js';
import { hooks as msg } from '../output/messages.js';
import { tail } from '../plan/pip-failure.js';

interface HookRun {
  appDir: string;
  env: Env;
  log: Log;
  write: (text: string) => void;
  /** After this long the hook, and every process it started, is killed (BP_APP_COMMAND_TIMEOUT). */
  timeoutMs: number;
}

/** Runs a warpdrive build hook (pre-build, build) with its own shebang; a failure quotes its last lines. */
export async function runBuildHook(file: string, opts: HookRun): Promise<void> {
  opts.log.header(msg.header(path.basename(file)));
  opts.log.command([`./${file}`]);
  const elapsed = opts.log.timer();
  const result = await runAppCommand(
    [path.join(opts.appDir, file)],
    { what: msg.what(file), hint: '' },
    { cwd: opts.appDir, env: opts.env, write: opts.write, timeoutMs: opts.timeoutMs },
  );
  if (result.exitCode !== 0) throw new BuildError({ kind: 'hook-failed', file, status: result.exitCode, output: tail(result.output) });
  opts.log.info(msg.completed(elapsed()));
}

/**
 * Sources a warpdrive env hook (build-env) the way warpdrive does (`set -a; . hook`) and
 * returns the variables it set or changed. What it prints goes to the build log.
 */
export async function sourceEnvHook(file: string, opts: HookRun): Promise<Record<string, string>> {
  opts.log.header(msg.header(path.basename(file)));
  const script = 'set -a; . "$1" >&2 || exit; exec env -0';
  opts.log.command(['sh', '-c', script, 'sh', `./${file}`]);
  let out = '';
  const result = await runAppCommand(
    ['sh', '-c', script, 'sh', path.join(opts.appDir, file)],
    { what: msg.what(file), hint: '' },
    {
      cwd: opts.appDir,
      env: opts.env,
      write: (text: string) => {
        out += text;
      },
      timeoutMs: opts.timeoutMs,
    },
  );
  if (result.exitCode !== 0) throw new BuildError({ kind: 'hook-failed', file, status: result.exitCode, output: tail(out) });
  const vars = Object.fromEntries(
    out
      .split('\0')
      .map((entry) => entry.split(/=(.*)/s))
      .filter((kv): kv is [string, string] => kv.length >= 2 && kv[0] !== undefined && /^[A-Za-z_]\w*$/.test(kv[0]))
      .map(([k, v]) => [k, v]),
  );
  const changed = Object.fromEntries(
    Object.entries(vars).filter(([k, v]) => opts.env[k] !== v && !['PWD', 'SHLVL', '_', 'OLDPWD'].includes(k)),
  );
  opts.log.info(msg.sourced(Object.keys(changed)));
  return changed;
}
