import type { Env } from '../cnb/env.js';
import { setting } from '../plan/settings.js';
import { BuildError } from './build-error.js';
import { isInternal } from './failures.js';
import { failureText, INTERNAL_ERROR_FOOTER, internalError } from './messages.js';

/** BP_LOG_LEVEL=debug (any case) asks for stack traces in internal errors. */
export function debugRequested(env: Env): boolean {
  return setting(env, 'BP_LOG_LEVEL')?.toLowerCase() === 'debug';
}

/**
 * What went wrong, in one line, for a message that wraps it: a spec problem as found, another
 * failure by its title, anything else by its message with the errno code and the path when
 * Node gives them and the message lacks them (e.g. "EACCES: permission denied, open '/workspace/x'").
 */
export function shortCause(err: unknown): string {
  if (err instanceof BuildError) return err.failure.kind === 'cnb-format' ? err.failure.problem : failureText(err.failure).title;
  // Not `instanceof Error`: errors from another realm (vm contexts, Jest) are errors too.
  if (typeof err !== 'object' || err === null || typeof (err as Error).message !== 'string') return String(err);
  const { code, path, message, name } = err as NodeJS.ErrnoException;
  let cause = message.split('\n')[0]?.trim() || name;
  if (code && !cause.includes(code)) cause = `${code}: ${cause}`;
  if (path && !cause.includes(path)) cause = `${cause} (${path})`;
  return cause;
}

/** The title and body shown for any error: failures by their kind, anything else as an internal error. */
export function renderError(err: unknown, opts: { debug: boolean }): { title: string; body: string } {
  if (err instanceof BuildError) {
    const { title, body } = failureText(err.failure);
    return { title, body: isInternal(err.failure) ? `${body}\n\n${INTERNAL_ERROR_FOOTER}` : body };
  }
  const stack = opts.debug ? (err as Error | undefined)?.stack : undefined;
  return {
    title: internalError.title,
    body: `${shortCause(err)}\n\n${stack ? `${stack}\n\n` : ''}${INTERNAL_ERROR_FOOTER}${stack ? '' : `\n${internalError.debugHint}`}`,
  };
}
