/** A package pip downloaded whose sha256 is none of those the lock recorded. */
export interface HashMismatch {
  /** "flask==2.2.2" */
  requirement: string;
  algorithm: string;
  expected: string[];
  got: string;
}

/** The mismatches pip lists after "THESE PACKAGES DO NOT MATCH THE HASHES…", from its output. */
export function parseHashMismatches(pipOutput: string): HashMismatch[] {
  const start = pipOutput.indexOf('THESE PACKAGES DO NOT MATCH THE HASHES');
  if (start < 0) return [];
  const found: HashMismatch[] = [];
  let current: HashMismatch | undefined;
  for (const line of pipOutput.slice(start).split('\n').slice(1)) {
    const head = /^ {4}(\S+) from /.exec(line);
    const expected = /^\s+Expected\s+(?:(\w+)\s+)?(?:or\s+)?([0-9a-f]{32,})\s*$/.exec(line);
    const got = /^\s+Got\s+([0-9a-f]{32,})\s*$/.exec(line);
    if (head?.[1]) {
      current = { requirement: head[1], algorithm: 'sha256', expected: [], got: '' };
      found.push(current);
    } else if (expected?.[2] && current) {
      if (expected[1] && expected[1] !== 'or') current.algorithm = expected[1];
      current.expected.push(expected[2]);
    } else if (got?.[1] && current) {
      current.got = got[1];
    } else if (!/^\s/.test(line) && line.trim()) break;
  }
  return found.filter((m) => m.got);
}
