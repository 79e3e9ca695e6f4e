import { BuildError } from '../../src/output/build-error.js';
import type { CnbFormat, Failure } from '../../src/output/failures.js';
import { renderError } from '../../src/output/render-error.js';

/**
 * The failure `fn` throws as a BuildError, with the title and body the user would see;
 * fails the test if it throws nothing or something else.
 */
export function buildErrorOf(fn: () => unknown): { failure: Failure; title: string; body: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof BuildError) return { failure: err.failure, ...renderError(err, { debug: false }) };
    throw err;
  }
  throw new Error('expected a BuildError');
}

/** For `toThrow`/`rejects.toThrow`: a BuildError saying that a CNB file or name breaks the spec. */
export function cnbFormatError(format: CnbFormat, problem?: RegExp) {
  return expect.objectContaining({
    failure: { kind: 'cnb-format', format, problem: problem ? expect.stringMatching(problem) : expect.any(String) },
  });
}
