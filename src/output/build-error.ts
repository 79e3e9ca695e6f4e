/**
 * A failure the user can act on: rendered as a titled `[Error: …]` block, no stack trace.
 * `internal` marks failures that are ours (I/O, bugs) so the message adds where to report them.
 */
export class BuildError extends Error {
  constructor(
    readonly title: string,
    readonly body: string,
    readonly attribution: 'user' | 'internal' = 'user',
  ) {
    super(title);
  }
}
