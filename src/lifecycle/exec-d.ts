import { readdir } from 'node:fs/promises';
import path from 'node:path';
// Launch-time, not build-time: exec.d programs need fd 3 as a pipe and the launch's own
// stdout/stderr, which src/effects/run.ts (for build commands) does not offer.
import { execa } from 'execa';
import { parseToml } from '../cnb/toml.js';
import { BuildError } from '../output/build-error.js';
import { ENV_NAME_PATTERN } from '../cnb/env.js';

/** What an exec.d program wrote to fd 3: TOML of `NAME = "value"` pairs only. */
export function parseExecDOutput(text: string, what: string): Record<string, string> {
  const table = parseToml(text, what);
  for (const [name, value] of Object.entries(table)) {
    if (!ENV_NAME_PATTERN.test(name)) throw new Error(`${what}: "${name}" is not a valid environment variable name`);
    if (typeof value !== 'string') throw new Error(`${what}: the value of ${name} is not a string`);
  }
  return table as Record<string, string>;
}

/** The programs of one exec.d directory, by name; subdirectories (per-process ones) are not programs. */
export async function execDPrograms(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => !e.isDirectory())
    .map((e) => path.join(dir, e.name))
    .sort();
}

/**
 * Runs exec.d programs in order, each with the env the previous ones produced and fd 3
 * open as a pipe for its output; their stdout and stderr are the launch's own. A failure
 * or unreadable output stops the launch, as with the real launcher.
 */
export async function runExecD(
  programs: readonly string[],
  env: Readonly<Record<string, string>>,
  cwd: string,
): Promise<Record<string, string>> {
  let current = { ...env };
  for (const program of programs) {
    const result = await execa(program, [], {
      cwd,
      env: current,
      extendEnv: false,
      stdio: ['ignore', 'inherit', 'inherit', 'pipe'],
      reject: false,
    });
    if (result.failed) throw new BuildError({ kind: 'exec-d-failed', program, detail: result.shortMessage ?? '' });
    try {
      current = { ...current, ...parseExecDOutput(String(result.stdio[3] ?? ''), program) };
    } catch (err) {
      throw new BuildError({ kind: 'exec-d-output-invalid', detail: (err as Error).message });
    }
  }
  return current;
}
