import { BuildError } from '../../src/output/build-error.js';

/** The BuildError `fn` throws; fails the test if it throws nothing or something else. */
export function buildErrorOf(fn: () => unknown): BuildError {
  try {
    fn();
  } catch (err) {
    if (err instanceof BuildError) return err;
    throw err;
  }
  throw new Error('expected a BuildError');
}
