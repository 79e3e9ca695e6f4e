import type { Failure } from './failures.js';
import { failureText } from './messages.js';

/**
 * A failure the user (or, for internal kinds, the build environment) can act on: logic throws
 * it with the failure as data; renderError turns it into a titled `[Error: …]` block, no stack trace.
 */
export class BuildError extends Error {
  constructor(readonly failure: Failure) {
    const { title, body } = failureText(failure);
    // The rendered text as the message, so logs and tests of code that catches it read as the user would.
    super(body ? `${title}\n${body}` : title);
    this.name = 'BuildError';
  }
}
