import { BuildError } from '../output/build-error.js';
import type { PipFailure } from '../output/failures.js';
import { redactUrls } from './pip-binding.js';

export type { PipFailure };

const UNREACHABLE =
  /(Failed to establish a new connection|Connection refused|Name or service not known|Temporary failure in name resolution|Could not fetch URL|ConnectionResetError|Max retries exceeded|connection broken by)/;

export function classifyPipFailure(output: string): PipFailure {
  const invalid = /Invalid requirement: '([^']*)'(?:[^\n]*?\(from (line \d+ of [^)\s]+)\))?/.exec(output);
  if (invalid) return { kind: 'invalid-requirement', line: invalid[1] ?? '', ...(invalid[2] ? { from: invalid[2] } : {}) };
  const notFound =
    /Could not find a version that satisfies the requirement ([^\s(]+)(?: \(from ([^)]*\)?)\))? \(from versions: ([^)]*)\)/.exec(output);
  if (notFound && UNREACHABLE.test(output)) return { kind: 'index-unreachable', detail: UNREACHABLE.exec(output)?.[0] ?? '' };
  if (notFound) {
    const [, requirement = '', from, versions = ''] = notFound;
    const where = from ? { from } : {};
    return versions.trim() === 'none'
      ? { kind: 'unknown-package', requirement, ...where }
      : { kind: 'no-matching-version', requirement, versions, ...where };
  }
  if (UNREACHABLE.test(output)) return { kind: 'index-unreachable', detail: UNREACHABLE.exec(output)?.[0] ?? '' };
  if (/ResolutionImpossible|conflicting dependencies/.test(output))
    return { kind: 'conflict', detail: /The conflict is caused by:[\s\S]*?(?=\n\n|$)/.exec(output)?.[0] ?? '' };
  // pip 23 reads a download cut short to its end (it ignores Content-Length); the short file then
  // fails the sha256 the index published in the link (#sha256=…), which pip reports as hashes
  // "from the requirements file" even when the app pins none. The index's own hash failing
  // means the bytes are not the file it lists: the download broke, the app's pins are not wrong.
  const cutShort = /\/([^/\s#]+)#sha256=([0-9a-f]{64})\b[^\n]*:\n\s+Expected sha256 \2\n/.exec(output);
  if (cutShort)
    return {
      kind: 'index-unreachable',
      detail: `${cutShort[1] ?? ''} arrived incomplete or damaged: its sha256 is not the one the index lists`,
    };
  if (/DO NOT MATCH THE HASHES|hashes are required/i.test(output)) return { kind: 'hash-mismatch', detail: '' };
  const build =
    /(?:Failed building wheel for|Failed to build|Getting requirements to build wheel did not run successfully|metadata-generation-failed|subprocess-exited-with-error)\s*:?\s*([\w.-]*)/.exec(
      output,
    );
  if (build) return { kind: 'build-failed', package: build[1] ?? '' };
  return { kind: 'other' };
}

/** The last lines of pip's output, quoted in errors. */
export function tail(output: string, lines = 12): string {
  return output.trimEnd().split('\n').slice(-lines).join('\n');
}

/** The error for a failed pip run, quoting pip's last lines without credentials. */
export function pipError(failure: PipFailure, output: string, file: string | undefined): BuildError {
  return new BuildError({ kind: 'pip-failed', cause: failure, pipTail: redactUrls(tail(output)), ...(file ? { file } : {}) });
}
