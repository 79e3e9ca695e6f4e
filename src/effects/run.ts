import { execa } from 'execa';
import type { Env } from '../cnb/env.js';

export interface RunOptions {
  cwd: string;
  /** The whole environment of the command: nothing is inherited from pywarp's own. */
  env: Env;
  /** Receives the output (stdout and stderr merged) as it arrives, e.g. into the build log. */
  write?: (text: string) => void;
  /** Given on stdin; without it stdin is closed. */
  input?: string;
  /** After this long, the command and every process it started are killed. */
  timeoutMs?: number;
}

export interface RunResult {
  exitCode: number;
  /** The end of the merged output, for error messages. */
  output: string;
  /** The end of stdout alone, for commands that answer on it. */
  stdout: string;
  /** Killed after `timeoutMs`. */
  timedOut: boolean;
}

const KEEP_CHARS = 64 * 1024;
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Process groups of the commands running now, each led by the command itself. */
const groups = new Set<number>();

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is already gone.
  }
}

// Each command runs in a process group of its own (so that a timeout can end everything it
// started), out of reach of the signals a terminal or the lifecycle sends pywarp's group:
// pass them on, then let the signal end pywarp as it would have.
function onSignal(signal: NodeJS.Signals): void {
  for (const pid of groups) killGroup(pid);
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function onExit(): void {
  for (const pid of groups) killGroup(pid);
}

/** Commands started and not yet finished: the signal handlers are installed while there are any. */
let running = 0;

// Installed before the command is spawned: a signal that arrives while it starts is handled
// once the spawning code has recorded its group (a handler runs only between two ticks).
function started(): void {
  if (running++ === 0) {
    for (const s of SIGNALS) process.on(s, onSignal);
    process.on('exit', onExit);
  }
}

function finished(pid: number | undefined): void {
  if (pid !== undefined) groups.delete(pid);
  if (--running === 0) {
    for (const s of SIGNALS) process.removeListener(s, onSignal);
    process.removeListener('exit', onExit);
  }
}

/**
 * Runs a command with exactly `opts.env`, keeping the end of its output. The command leads
 * a process group of its own; whatever of the group is left when it exits is killed (it
 * would hold the output pipes open), and so is the whole group after `timeoutMs`.
 */
export async function run(argv: readonly string[], opts: RunOptions): Promise<RunResult> {
  const [file, ...args] = argv;
  let pid: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  started();
  try {
    const child = execa(file as string, args, {
      cwd: opts.cwd,
      env: opts.env,
      extendEnv: false,
      reject: false,
      detached: true,
      ...(opts.input !== undefined ? { input: opts.input } : { stdin: 'ignore' as const }),
      all: true,
      buffer: false,
    });
    pid = child.pid;
    if (pid !== undefined) groups.add(pid);
    let output = '';
    let stdout = '';
    let timedOut = false;
    child.all?.setEncoding('utf8');
    child.all?.on('data', (text: string) => {
      opts.write?.(text);
      output = (output + text).slice(-KEEP_CHARS);
    });
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (text: string) => {
      stdout = (stdout + text).slice(-KEEP_CHARS);
    });
    child.on('exit', () => {
      if (pid !== undefined) killGroup(pid);
    });
    if (opts.timeoutMs !== undefined && pid !== undefined) {
      const group = pid;
      timer = setTimeout(() => {
        timedOut = true;
        killGroup(group);
      }, opts.timeoutMs);
    }
    const result = await child;
    // A command that could not start (not found, not executable) says so in its output.
    if (result.exitCode === undefined && result.signal === undefined) output += result.originalMessage ?? '';
    return { exitCode: result.exitCode ?? 1, output, stdout, timedOut };
  } finally {
    clearTimeout(timer);
    finished(pid);
  }
}
