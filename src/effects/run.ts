import { execa } from 'execa';
import type { Env } from '../cnb/env.js';

export interface RunResult { exitCode: number; output: string }

const KEEP_CHARS = 64 * 1024;

/**
 * Runs a command with exactly `env` (nothing inherited), streaming its output into the
 * build log unmodified while keeping the end of it for error messages.
 */
export async function runStreaming(argv: readonly string[], opts: { cwd: string; env: Env; write: (text: string) => void }): Promise<RunResult> {
  const [file, ...args] = argv;
  const child = execa(file as string, args, { cwd: opts.cwd, env: opts.env, extendEnv: false, reject: false, stdin: 'ignore', all: true, buffer: false });
  let kept = '';
  child.all?.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    opts.write(text);
    kept = (kept + text).slice(-KEEP_CHARS);
  });
  const result = await child;
  return { exitCode: result.exitCode ?? 1, output: kept };
}
