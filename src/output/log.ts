/**
 * Build output: a `[Header]` per step, plain sentences for decisions, commands in
 * quotes, `[Warning: …]`/`[Error: …]` blocks. Append-only and free of colour and
 * spinners, since platforms prefix and stream it.
 */
export interface Log {
  header(title: string): void;
  info(line: string): void;
  warning(title: string, body: string): void;
  error(title: string, body: string): void;
  command(argv: readonly string[]): void;
  /** Starts timing a slow step; the function returns the time since, formatted. */
  timer(): () => string;
  /** Closes the last step and says how long the whole build took. */
  finish(): void;
}

/** Where durations come from; tests inject a fixed one so whole log blocks can be asserted. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export function createLog(write: (text: string) => void, clock: Clock = systemClock): Log {
  const started = clock.now();
  let stepStarted: number | undefined;
  // Each step's duration closes it, so a slow step is visible at a glance.
  const closeStep = () => {
    if (stepStarted !== undefined) write(`Done in ${formatDuration(clock.now() - stepStarted)}.\n`);
  };
  return {
    timer: () => {
      const since = clock.now();
      return () => formatDuration(clock.now() - since);
    },
    header: (title) => {
      closeStep();
      stepStarted = clock.now();
      write(`\n[${title}]\n`);
    },
    finish: () => {
      closeStep();
      stepStarted = undefined;
      write(`\nBuild completed in ${formatDuration(clock.now() - started)}.\n`);
    },
    info: (line) => write(`${line}\n`),
    warning: (title, body) => write(`\n[Warning: ${title}]\n${body.trimEnd()}\n\n`),
    error: (title, body) => write(`\n[Error: ${title}]\n${body.trimEnd()}\n`),
    command: (argv) => write(`Running '${formatArgv(argv)}'\n`),
  };
}

/** Quotes only what needs quoting, so logged commands can be pasted into a shell. */
export function formatArgv(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`)).join(' ');
}

export function formatDuration(ms: number): string {
  // Compare after rounding, so 999.6 ms is "1.0s", not "1000ms".
  return Math.round(ms) < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}

export function formatBytes(bytes: number): string {
  // Compare after rounding, so 1048575 bytes is "1.0 MiB", not "1024 KiB".
  if (Math.round(bytes / 1024) < 1024) return `${(bytes / 1024).toFixed(0)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
