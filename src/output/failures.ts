// Every way a build or the CLI can fail on purpose, as data: logic throws
// `new BuildError(failure)` and src/output/messages.ts turns each kind into its title and body.

/** The settings that bound a build step, in seconds. */
export type TimeoutSetting = 'BP_APP_COMMAND_TIMEOUT' | 'BP_PIP_INSTALL_TIMEOUT';

/** What a failed pip run means, read from its output, so the error can say how to fix it. */
export type PipFailure =
  | { kind: 'index-unreachable'; detail: string }
  | { kind: 'unknown-package'; requirement: string; from?: string }
  | { kind: 'no-matching-version'; requirement: string; versions: string; from?: string }
  | { kind: 'conflict'; detail: string }
  | { kind: 'invalid-requirement'; line: string; from?: string }
  | { kind: 'hash-mismatch'; detail: string }
  | { kind: 'build-failed'; package: string }
  | { kind: 'other' };

/** Which form a Python version request must take, quoted when it does not. */
export type VersionSyntax = 'python-version-file' | 'runtime-txt' | 'specifier';

/** The tools whose lock files pywarp installs, by the name BP_PYTHON_INSTALLER uses. */
export type LockTool = 'pipenv' | 'poetry' | 'uv' | 'pylock';

/** Why a lock no longer matches the project it was made from. */
export type LockStale =
  | { why: 'hash'; source: 'Pipfile' | 'pyproject.toml'; field: 'hash' | 'content-hash'; actual: string; recorded?: string }
  | { why: 'not-locked'; owner: string; packages: readonly string[] }
  | { why: 'no-pyproject'; tool: 'Poetry' | 'uv' }
  | { why: 'requires-dist'; added: readonly string[]; removed: readonly string[] }
  | { why: 'no-root' };

/** Where a locked package comes from, when it is not an index pywarp can check hashes against. */
export type LockSource =
  | { kind: 'path' | 'url' | 'file' | 'directory-outside' | 'local-index' | 'archive'; location: string }
  | { kind: 'vcs'; vcs: string; location: string };

/** Something in a lock file its tool would not have written. */
export type LockDefect =
  | { defect: 'marker'; of: 'package' | 'dependency-of' | 'dependency-on'; package: string; detail: string }
  | { defect: 'no-version'; package: string; expected?: string };

/** A downloaded file whose hash is none of those the lock recorded. */
export interface LockHashMismatch {
  requirement: string;
  algorithm: string;
  expected: readonly string[];
  got: string;
}

/** Why a Procfile line cannot become a process type. */
export type ProcfileWhy =
  { why: 'syntax' | 'not-utf8' } | { why: 'type' | 'dots' | 'nul'; type: string } | { why: 'duplicate'; type: string; first: number };

/** A Procfile line that cannot become a process type (found at build, not at launch). */
export type ProcfileProblem = { line: number; text: string } & ProcfileWhy;

/** How a buildpack phase ended when it did not succeed. */
export type PhaseEnd = { exitCode: number } | { signal: string } | { error: string };

/** A CNB file or name that breaks the Buildpack spec (one that pywarp reads or writes). */
export type CnbFormat = 'buildpack.toml' | 'build.toml' | 'layer.toml' | 'launch.toml' | 'build plan' | 'metadata.toml' | 'layer name';

export type Failure =
  // reading the app
  | { kind: 'app-file-unreadable'; file: string; why: string }
  | { kind: 'app-file-outside'; file: string }
  | { kind: 'app-file-not-regular'; file: string }
  | { kind: 'app-file-too-large'; file: string; size: number; limit: number }
  | { kind: 'app-reads-too-deep'; limit: number; files: readonly string[] }
  // Python version
  | { kind: 'python-version-invalid'; origin: string; found: string; expected: VersionSyntax }
  | { kind: 'python-version-unparsable'; file: string; detail: string }
  | { kind: 'python-version-unavailable'; origin: string; text: string; arch: string; available: readonly string[] }
  // downloads and the Python runtime layer
  | { kind: 'mirror-invalid'; variable: string; value: string }
  | { kind: 'mapping-duplicate'; sha256: string; bindings: readonly string[] }
  | { kind: 'cpython-checksum-mismatch'; version: string; uri: string; detail: string }
  | { kind: 'cpython-download-failed'; version: string; uri: string; retried: boolean; detail: string }
  | { kind: 'cpython-download-stopped'; version: string; uri: string; detail: string }
  | { kind: 'cpython-rehash-failed'; lastLines: string }
  | { kind: 'launcher-compile-failed'; lastLines: string }
  | { kind: 'proxy-invalid'; name: string; value: string }
  | { kind: 'pip-binding-invalid'; binding: string; entry: string; value: string }
  | { kind: 'timeout-invalid'; setting: TimeoutSetting; value: string; defaultSeconds: number }
  | { kind: 'app-command-timed-out'; what: string; limitMs: number; lastLines: string; hint: string }
  | { kind: 'cpython-extract-failed'; version: string; uri: string; detail: string; unsafeEntry: boolean }
  // warpdrive's hooks
  | { kind: 'hook-failed'; file: string; status: number; output: string }
  // entry points
  | { kind: 'app-home-outside'; value: string }
  | { kind: 'wsgi-module-missing'; module: string; path: string }
  | { kind: 'wsgi-callable-missing'; module: string; callable: string }
  | { kind: 'django-no-wsgi'; settings: string }
  | { kind: 'procfile-invalid'; problems: readonly ProcfileProblem[] }
  // settings and environment
  | { kind: 'forbidden-env'; names: readonly string[] }
  | { kind: 'server-unknown'; name: string; known: readonly string[] }
  | { kind: 'server-wrong-interface'; name: string; interface: 'wsgi' | 'asgi'; able: readonly string[] }
  // dependencies layer
  | { kind: 'requirement-file-missing'; files: readonly string[] }
  | { kind: 'requirements-misspelt'; file: string }
  | { kind: 'requirements-too-long'; files: readonly string[]; lines: number; limit: number }
  | { kind: 'venv-create-failed'; outputTail: string }
  | { kind: 'pip-timed-out'; command: string; limitMs: number; lastLines: string }
  | { kind: 'pip-failed'; cause: PipFailure; pipTail: string; file?: string }
  // lock files
  | { kind: 'installer-files-multiple'; files: readonly string[] }
  | { kind: 'pylock-files-multiple'; files: readonly string[] }
  | { kind: 'installer-unknown'; value: string }
  | { kind: 'installer-file-missing'; installer: string; file: string }
  | { kind: 'installer-conflict'; installer: string }
  | { kind: 'pipfile-without-lock' }
  | { kind: 'poetry-without-lock' }
  | { kind: 'conda-unsupported'; file: string }
  | { kind: 'lock-unreadable'; file: string; detail: string }
  | { kind: 'project-requirement-invalid'; file: string; text: string }
  | { kind: 'lock-version-unsupported'; file: string; version: string; supported: string }
  | { kind: 'lock-out-of-date'; file: string; tool: LockTool; stale: LockStale }
  | { kind: 'lock-source-unsupported'; file: string; package: string; source: LockSource }
  | { kind: 'lock-python-mismatch'; file: string; requires: string; python: string }
  | { kind: 'lock-hash-missing'; file: string; package: string }
  | { kind: 'lock-no-wheel'; file: string; package: string; version: string; arch: string; filenames: readonly string[] }
  | { kind: 'lock-variable-unset'; file: string; variable: string }
  | { kind: 'lock-hash-mismatch'; file: string; mismatches: readonly LockHashMismatch[] }
  | { kind: 'lock-malformed'; file: string; defect: LockDefect }
  // Django and launch processes
  | { kind: 'collectstatic-failed'; djangoTail: string }
  | { kind: 'django-settings-unreadable'; lastLines: string }
  | { kind: 'no-server'; servers: readonly string[] }
  // the CNB contract
  | { kind: 'cnb-context-missing'; name: string }
  | { kind: 'cnb-format'; format: CnbFormat; problem: string }
  // packaging
  | { kind: 'node-fetch-failed'; spec: string; output: string }
  | { kind: 'node-integrity-invalid'; spec: string; integrity: string }
  | { kind: 'node-integrity-mismatch'; spec: string; expected: string; actual: string }
  | { kind: 'node-package-invalid'; spec: string }
  | { kind: 'node-wrong-machine'; spec: string; expected: number; actual?: number }
  | { kind: 'package-already-packaged' }
  | { kind: 'package-failed'; detail: string }
  // the CLI and its local lifecycle
  | { kind: 'work-dirs-unknown' }
  | { kind: 'app-not-found'; dir: string }
  | { kind: 'buildpack-not-found'; file: string }
  | { kind: 'buildpack-toml-invalid'; detail: string }
  | { kind: 'detect-opted-out'; output: string }
  | { kind: 'detect-plan-unmet'; output: string }
  | { kind: 'detect-failed'; end: PhaseEnd; output: string }
  | { kind: 'detect-plan-invalid'; detail: string; output: string }
  | { kind: 'build-failed'; end: PhaseEnd }
  | { kind: 'build-locked'; file: string; pid?: number; alive?: boolean; blocked?: 'launch' | 'clean' }
  | { kind: 'build-interrupted'; signal: NodeJS.Signals }
  | { kind: 'build-output-invalid'; problems: readonly string[] }
  | { kind: 'build-metadata-unreadable'; detail: string }
  | { kind: 'nothing-to-launch'; layersDir: string; appDir: string }
  | { kind: 'no-default-process' }
  | { kind: 'process-type-unknown'; type: string; known: readonly string[] }
  | { kind: 'command-not-found'; name: string; path: string }
  | { kind: 'exec-d-failed'; program: string; detail: string }
  | { kind: 'exec-d-output-invalid'; detail: string }
  | { kind: 'process-start-failed'; file: string; detail: string };

export type FailureKind = Failure['kind'];

/** Kinds that are ours or the build environment's, not the app's: their message says where to report them. */
const INTERNAL: ReadonlySet<FailureKind> = new Set<FailureKind>([
  'venv-create-failed',
  'cnb-context-missing',
  'cnb-format',
  'cpython-rehash-failed',
  'launcher-compile-failed',
]);

export function isInternal(failure: Failure): boolean {
  return INTERNAL.has(failure.kind);
}
