import { constants } from 'node:os';
import { EXIT } from '../cnb/exit-codes.js';
import type { Failure, FailureKind } from '../output/failures.js';

const DETECT_FAILED: ReadonlySet<FailureKind> = new Set<FailureKind>(['detect-opted-out', 'detect-plan-unmet']);
const LAUNCH_FAILED: ReadonlySet<FailureKind> = new Set<FailureKind>([
  'build-metadata-unreadable',
  'nothing-to-launch',
  'no-default-process',
  'process-type-unknown',
  'command-not-found',
  'exec-d-failed',
  'exec-d-output-invalid',
  'process-start-failed',
]);

/**
 * The CLI's exit code for a failure: "no buildpack detected" and "cannot launch" have their
 * own, and a build stopped by signal N exits 128+N, as a shell reports it.
 */
export function failureExitCode(failure: Failure): number {
  if (failure.kind === 'build-interrupted') return 128 + constants.signals[failure.signal];
  if (failure.kind === 'build-locked') return failure.blocked === 'launch' ? EXIT.launchError : EXIT.error;
  if (DETECT_FAILED.has(failure.kind)) return EXIT.detectFail;
  if (LAUNCH_FAILED.has(failure.kind)) return EXIT.launchError;
  return EXIT.error;
}
