import { EXIT } from '../cnb/exit-codes.js';

/**
 * A failure of the local lifecycle that the CLI reports as a titled block and turns into
 * an exit code. `detail` is the body: what was found and what to do about it.
 */
export class LifecycleError extends Error {
  constructor(
    readonly title: string,
    readonly detail = '',
    readonly exitCode: number = EXIT.error,
  ) {
    super(detail ? `${title}: ${detail}` : title);
  }
}
