// Every user-facing sentence of the buildpack, kept apart from the logic so it can be
// read, reviewed and tested as product copy. Logic throws failures as data (failures.ts);
// failureText below is the only place that words them.
import { minorOf } from '../plan/python-minor.js';
import type {
  Failure,
  LockDefect,
  LockSource,
  LockStale,
  LockTool,
  PhaseEnd,
  PipFailure,
  ProcfileProblem,
  TimeoutSetting,
  VersionSyntax,
} from './failures.js';
import { formatBytes, formatDuration } from './log.js';

const DOCS = 'https://github.com/pywarp/pywarp#readme';

export const INTERNAL_ERROR_FOOTER = `This is an unexpected error that could be caused by a bug in pywarp or by a problem
with the build environment. Try the build again; if it keeps failing, please report it
at https://github.com/pywarp/pywarp/issues with the build log.`;

/** Shows a value the way it was found, with control characters made visible. */
export function quoteFound(text: string): string {
  const shown = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  return shown.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '\uFFFD');
}

function list(items: readonly string[]): string {
  return items.map((i) => `  ${i}`).join('\n');
}

// --- detect ---------------------------------------------------------------

export const detect = {
  passed: (found: readonly string[]) => `Python app detected (found ${found.join(', ')}).`,
  failed: (lookedFor: readonly string[]) => `No Python app here: none of ${lookedFor.join(', ')} was found at the top level.`,
};

/** Why a cached layer is rebuilt: the same list for every layer. */
export function rebuilding(what: string, reasons: readonly string[]): string {
  return `Rebuilding ${what} because:\n${reasons.map((r) => `  - ${r}`).join('\n')}`;
}

// --- Python version ---------------------------------------------------------

export const pythonVersion = {
  header: 'Determining Python version',
  requested: (origin: string, text: string) => `${origin} requests Python ${text}.`,
  runtimeTxtNote: 'runtime.txt is read for people coming from warpdrive and Heroku; .python-version is the preferred file.',
  resolved: (version: string, arch: string) => `Using Python ${version} for ${arch}.`,
  defaulted: (version: string, sources: readonly string[]) =>
    `No Python version requested (by ${sources.slice(0, -1).join(', ')} or ${sources.at(-1) ?? ''}); using the default, the newest patch of Python ${minorOf(version)}: ${version}.`,
  conflictTitle: 'Python version requests disagree',
  conflict: (chosen: { origin: string; text: string; version: string }, other: { origin: string; text: string; version?: string }) =>
    `${chosen.origin} requests Python ${chosen.text} (${chosen.version}) but ${other.origin} requests ${other.text}${other.version ? ` (${other.version})` : ''}.
No version satisfies both; ${chosen.origin} comes first, so pywarp uses ${chosen.version}.

To silence this warning, make the two files agree, or keep a single source of truth
(.python-version is the one pywarp reads first after BP_CPYTHON_VERSION).`,
  ignoredTitle: (origin: string) => `${origin} is ignored`,
  ignored: (origin: string, problem: string, decidedBy: string) =>
    `${origin} could not be read as a Python version request (${quoteFound(problem)}).
${decidedBy} comes first and decides the version; fix or delete ${origin} to silence this warning.`,
  overrideTitle: 'BP_CPYTHON_VERSION overrides the app',
  override: (env: string, file: { origin: string; text: string }) =>
    `BP_CPYTHON_VERSION=${env} is used, although ${file.origin} requests Python ${file.text}.`,
};

const EXPECTED_VERSION_FILE = `A .python-version file holds a version per line, as X.Y (recommended, e.g. "3.12"), X.Y.Z,
cpython-X.Y or a specifier (">=3.11"); the first that pywarp can install is used, and lines
starting with # are comments.`;
const EXPECTED_RUNTIME_TXT = 'runtime.txt holds one line of the form "python-X.Y.Z" (e.g. "python-3.12.7").';
const EXPECTED_SPECIFIER = 'The value must be a version (e.g. "3.12") or a PEP 440 specifier (e.g. ">=3.10,<3.13").';

/** A size limit: a round number of GiB as such ("2 GiB"), anything else as the log shows sizes. */
function sizeLimit(bytes: number): string {
  return bytes % 1024 ** 3 === 0 ? `${bytes / 1024 ** 3} GiB` : formatBytes(bytes);
}

/** Why one download attempt failed, completing `cpython.downloadFailed`; each names its limit. */
export const downloads = {
  httpStatus: (status: number, statusText: string) => `HTTP ${status} ${statusText}`.trim(),
  unsupportedScheme: (scheme: string) => `${scheme} URLs are not supported; use https://, http:// or file://`,
  notAUrl: 'the address is not a URL; use an https://, http:// or file:// URL',
  redirectWithoutLocation: (status: number) => `HTTP ${status} without a Location header`,
  invalidRedirect: 'the server redirected to something that is not a URL',
  tooManyRedirects: (limit: number) => `the server redirected more than ${limit} times, the limit`,
  redirectScheme: (scheme: string) =>
    `the server redirected to a ${scheme} URL, and downloads follow redirects only to http:// and https://`,
  tooLarge: (limit: number) => `the file is larger than ${sizeLimit(limit)}, the most pywarp downloads`,
  connectTimeout: (limit: number) => `no connection within ${formatDuration(limit)}, the limit`,
  noAnswer: (limit: number) => `the server sent no answer within ${formatDuration(limit)}, the limit`,
  idle: (limit: number) => `nothing arrived for ${formatDuration(limit)}, the limit`,
  tooSlow: (received: number, windowMs: number, minBytesPerSecond: number) =>
    `only ${received} bytes arrived in ${formatDuration(windowMs)}, below the minimum of ${formatBytes(minBytesPerSecond)}/s`,
  cut: (received: number, total: number) => `the connection ended after ${received} of ${total} bytes`,
  closed: 'the connection was closed',
  checksum: (expected: string, actual: string) => `expected sha256 ${expected} but got ${actual}`,
  proxyRefused: (status: number) => `the proxy answered HTTP ${status} when asked to connect`,
};

/** Why an archive could not be extracted, completing `cpython.extractFailed`. */
export const archives = {
  absolute: (name: string) => `entry "${name}" has an absolute path`,
  dotDot: (name: string) => `entry "${name}" contains ".."`,
  symlinkOutside: (name: string, target: string) => `symlink "${name}" points outside the layer (to "${target}")`,
  symlinkDotDot: (name: string, target: string) => `symlink "${name}" has ".." after a path component (to "${target}")`,
  hardLinkOutside: (name: string, target: string) => `hard link "${name}" points outside the layer (to "${target}")`,
  throughSymlink: (name: string, link: string) => `entry "${name}" would be written through the symlink "${link}"`,
  tooLarge: (limit: number) => `it expands to more than ${sizeLimit(limit)}, the most pywarp extracts`,
  tooManyEntries: (limit: number) => `it has more than ${limit} entries, the most pywarp extracts`,
  damaged: (detail: string) => `the archive is damaged: ${detail}`,
};

// --- Python runtime layer ---------------------------------------------------

export const cpython = {
  header: 'Installing Python',
  usingCached: (version: string) => `Using cached Python ${version}.`,
  reasonVersion: (version: string) => `the requested version is now ${version}`,
  reasonSha256: 'the buildpack now lists a different archive for this version',
  reasonTarget: (target: string) => `the target is now ${target}`,
  reasonDistro: (distro: string) => `the target distribution is now ${distro}`,
  downloading: (version: string, uri: string, via?: string) => `Downloading Python ${version} from ${uri}${via ? ` (set by ${via})` : ''}.`,
  progress: (received: string, total?: string, percent?: number) => (total ? `  ${received} of ${total} (${percent}%)` : `  ${received}`),
  retrying: (attempt: number, error: string, delay: string) => `  Download failed (${error}); retry ${attempt} in ${delay}.`,
  verified: (sha256: string, took: string) => `Downloaded in ${took}; sha256 ${sha256} verified.`,
  extracted: (took: string) => `Extracted in ${took}.`,
  rehashed: (count: number) => `Made ${count} .pyc files hash-based, so the image does not recompile them at every start.`,
};

// --- entry points -------------------------------------------------------------

/** The start conventions, in the order pywarp tries them (README "How the app starts" says the same). */
export const ENTRY_POINT_RULES = `  1. a Procfile (Heroku): each "type: command" line is a process type, "web" the default;
  2. settings: BP_WSGI_MODULE (module or module:callable); s2i's APP_SCRIPT, APP_FILE,
     APP_MODULE and APP_HOME (also read from .s2i/environment); warpdrive's .warpdrive/deploy_mode;
  3. gunicorn.conf.py (or gunicorn.conf) setting wsgi_app (s2i);
  4. an executable app.sh, run as it is (warpdrive, s2i);
  5. app.py, then main.py: run with python when it starts a server itself, else its
     module-level WSGI app (app, application, a Flask/Falcon/Bottle app) or app factory
     (create_app(), make_app()) is served (Google);
  6. Django: manage.py, at the top or one directory down, naming its settings;
  7. wsgi.py, or a wsgi/ package, with a WSGI callable named "application" (warpdrive),
     then asgi.py with an ASGI "application" or "app";
  8. the project's own package (its [project] or setup name, src/ layout too) exposing a
     WSGI app or factory; a single [project.scripts] entry is run as web.`;

export const entryPoint = {
  header: 'Choosing how the app starts',
  reasonProcfile: (types: readonly string[]) => `Procfile defines ${types.join(', ')}.`,
  reasonWsgiModule: (module: string) => `BP_WSGI_MODULE names ${module}.`,
  reasonAppModule: (where: string, target: string) => `APP_MODULE (${where}) names ${target}.`,
  reasonAppFile: (where: string, file: string) => `APP_FILE (${where}) names ${file}, run with "python ${file}".`,
  reasonAppScript: (where: string, file: string) => `APP_SCRIPT (${where}) names ${file}, run as it is.`,
  reasonAppHome: (where: string, home: string) => `APP_HOME (${where}) says the app lives in ${home}/.`,
  reasonWarpdriveHome: (home: string) => `.warpdrive/home says the app lives in ${home}/.`,
  reasonDeployMode: (mode: string) => `.warpdrive/deploy_mode is ${mode}.`,
  reasonGunicornConf: (file: string, target: string) =>
    `${file} sets wsgi_app = "${target}": gunicorn reads the rest of its settings from it.`,
  reasonAppSh: (file: string) => `${file} is executable, so it is run as the app.`,
  reasonScript: (file: string) => `${file} starts a server itself, so it is run with "python ${file}".`,
  reasonModuleApp: (file: string, target: string, iface: string) =>
    `${file} defines the ${iface.toUpperCase()} app ${target} and starts no server itself, so it is served.`,
  reasonModuleFactory: (file: string, target: string, iface: string) =>
    `${file} defines the ${iface === 'asgi' ? 'ASGI ' : ''}app factory ${target}, so the app it returns is served.`,
  reasonAsgiModule: (module: string) => `BP_ASGI_MODULE names the ASGI app ${module}.`,
  reasonAsgiPy: (file: string, target: string) => `${file} provides the ASGI application ${target}.`,
  djangoAsgi: (asgi: string, why: string) => ` Django's ASGI_APPLICATION ${asgi} is served instead, because ${why}.`,
  djangoAsgiBySetting: 'BP_DJANGO_INTERFACE=asgi',
  djangoAsgiByServer: 'the requirements name an ASGI server',
  reasonDjango: (managePy: string, settings: string, wsgi: string, from: string) =>
    `${managePy} names the Django settings ${settings}; ${from} ${wsgi}.`,
  djangoFromSetting: 'their WSGI_APPLICATION is',
  djangoFromPackage: 'they set no WSGI_APPLICATION, so the WSGI module next to them is served:',
  reasonWsgiPy: (file: string) => `${file} provides the WSGI application.`,
  reasonPackage: (origin: string, module: string, target: string, iface: string) =>
    `${origin} names the project ${module}, whose module defines ${iface === 'asgi' ? 'the ASGI app ' : ''}${target}.`,
  reasonProjectScript: (origin: string, name: string) => `${origin} defines one script, ${name}, run as web.`,
  alsoFound: (used: string, others: readonly string[]) => `Also found ${others.join(', ')}; using ${used}, the first in pywarp's order.`,
  noStartTitle: 'No start command was found',
  noStart: (nonExecutableAppSh: boolean) => `The runtime and the dependencies are installed, but the image has no web process.
pywarp looked for these, in this order:
${ENTRY_POINT_RULES}
${nonExecutableAppSh ? '\napp.sh exists but is not executable: run "chmod +x app.sh" and commit it.\n' : ''}
The image can still be started with a command of your own (docker run IMAGE python -m myapp),
by another buildpack or by the platform. To have pywarp start it, add a Procfile
("web: gunicorn myapp:app"), or set BP_WSGI_MODULE=myapp:app.`,
};

// --- dependencies layer ---------------------------------------------------------

export const dependencies = {
  header: 'Installing dependencies using pip',
  reasonRequirements: (files: readonly string[]) => `Installing from ${files.join(' and ')}.`,
  reasonProject: (file: string) => `No requirements.txt; installing the app as a project from ${file} ('pip install .').`,
  reasonNone: 'No requirements.txt, pyproject.toml or setup.py: the app has no dependencies to install.',
  wheelhouse: (dir: string) => `Using the wheelhouse in ${dir} with --no-index: nothing is downloaded.`,
  usingCached: 'Using the cached virtual environment: its inputs are unchanged, so pip does not run.',
  pipCacheRestored: 'Using the pip cache of earlier builds.',
  pipCacheEmpty: 'Starting with an empty pip cache.',
  pipCacheReason: 'the Python minor version or the target changed',
  creatingVenv: 'Creating virtual environment.',
  reasonPython: (from: string, to: string) => `Python changed from ${from} to ${to}`,
  reasonRuntimeArchive: 'the Python runtime archive changed',
  reasonFileChanged: (file: string) => `${file} changed`,
  reasonFileAdded: (file: string) => `${file} is new`,
  reasonFileRemoved: (file: string) => `${file} is no longer used`,
  reasonOptions: (removed: readonly string[], added: readonly string[]) =>
    `the install options changed: ${[...(removed.length ? [`no longer ${removed.join(' ')}`] : []), ...(added.length ? [`now ${added.join(' ')}`] : [])].join('; ') || 'a value that is kept only as a hash (a credential or an expanded variable)'}`,
  reasonTarget: (from: string, to: string) => `the target changed from ${from} to ${to}`,
  reasonSalt: 'the cache has a new salt for the hash of credentials and expanded variables, so the kept hash cannot be compared',
  reasonUnsafe: (what: string) => `${what} is installed from the app's own source, so a kept venv could be stale`,
  unsafeNote: (what: string) =>
    `${what} copies the app's own source into the venv: the venv is rebuilt on every build so it never serves stale code.`,
  editableNote: (paths: readonly string[]) =>
    `Editable installs of ${paths.join(', ')} point at the app source; their packaging files are part of the reuse key.`,
  addingServer: (requirement: string, why: string) =>
    `The app has a WSGI entry point but no server among its requirements: adding ${requirement} (${why}).`,
  addingStatics: (requirement: string, why: string) =>
    `The Django app's static files need serving under every server: adding ${requirement} (${why}).`,
  serverFound: (servers: readonly string[]) => `Servers installed: ${servers.join(', ')}.`,
  pipCompleted: (took: string) => `Completed in ${took}.`,
  installed: (count: number, took: string) => `Installed ${count} distributions in ${took}.`,
  venvDirInApp: (dir: string) =>
    `The app contains ${dir}/, a local virtual environment. pywarp installs dependencies into its own venv layer; ${dir}/ is ignored at run time. Add it to .gitignore or your build's exclusions to keep the image small.`,
};

// --- Django -----------------------------------------------------------------

export const django = {
  header: 'Generating Django static files',
  skippedBy: (name: string) => `Skipping collectstatic: ${name} is set.`,
  skippedNoStaticfiles: 'Skipping collectstatic: django.contrib.staticfiles is not in INSTALLED_APPS.',
  defaultRoot: (root: string) => `The settings set no STATIC_ROOT; collecting into ${root}.`,
  readingSettings: "Reading Django's static file settings",
  collectstatic: "Django's collectstatic",
  skipHint: 'Or skip the step with BP_DISABLE_COLLECTSTATIC=true and serve static files another way.\n',
};

// --- warpdrive's action hooks ---------------------------------------------------

export const hooks = {
  header: (name: string) => `Running warpdrive's ${name} hook`,
  what: (file: string) => `The hook ${file}`,
  completed: (took: string) => `Completed in ${took}.`,
  sourced: (names: readonly string[]) => (names.length ? `It sets ${names.join(', ')} for the build steps.` : 'It sets no variable.'),
  notExecutableTitle: 'A warpdrive hook is not executable',
  notExecutable: (files: readonly string[]) => `These hooks exist but are not executable, so they do not run (as with warpdrive):
${files.map((f) => `  ${f}`).join('\n')}
Make them executable ("chmod +x FILE", then commit) for them to run.`,
};

// --- launch processes ------------------------------------------------------------

export const launch = {
  header: 'Setting launch processes',
  process: (type: string, what: string, isDefault: boolean) => `${type}: ${what}${isDefault ? ' (default)' : ''}`,
  web: (server: string) => `${server} (switch with PYWARP_SERVER_TYPE)`,
  serverNotInstalled: (name: string) => `BP_PYTHON_SERVER names ${name}, which is not installed; web falls back to warpdrive's order.`,
  modWsgiCheck: "The launcher's check of mod_wsgi",
  apacheMissingTitle: 'mod_wsgi-express needs Apache httpd',
  apacheMissing: (detail: string) => `mod_wsgi is installed but its Apache httpd was not found on this build image:
  ${detail}
The mod_wsgi process type will fail at run time unless the run image has Apache httpd
(Debian/Ubuntu: the apache2-bin package). The other servers are unaffected.`,
};

// --- pywarp package / clean (the CLI) ---------------------------------------------

/** How README tells users to run the CLI from a clone; every hint names it the same way. */
export const CLI = 'npx pywarp';

export const packaging = {
  archWithOci: '--arch applies to --format tgz and dir; an OCI image layout always holds linux/amd64 and linux/arm64.',
  tomlHeader: (platform: string) => `# Packaged by \`pywarp package\` for ${platform}: bin/ runs the Node.js in [metadata.node].`,
  packaged: (id: string, version: string, nodes: string, duration: string) => `Packaged ${id} ${version} with ${nodes} in ${duration}:`,
};

export const clean = {
  removed: (dir: string, size: string) => `Removed ${dir} (${size})`,
  nothing: (where: string) => `Nothing to clean: ${where} holds no pywarp build.`,
  noBuild: (app: string, dir: string) => `No local state for ${app} (looked in ${dir}).`,
  total: (count: number, size: string) => `Removed ${count} build${count === 1 ? '' : 's'}, ${size} in all.`,
};

export const lifecycleHints = {
  buildFirst: (app: string) => `Run '${CLI} build ${app}' first.`,
};

export const localBuild = {
  previousPutBack: 'The last build was stopped before it finished; its previous image was put back.',
  cacheNotSavedTitle: 'The cache was not saved',
  cacheNotSaved: (dir: string, cause: string) => `Writing the cache to ${dir} failed: ${cause}.
The image was built and is kept; the next build restores only what the old cache holds.
Free some space on that disk, or make the directory writable (or pass another --cache).`,
};

/** Who holds a build lock, as far as its file says. */
function lockHolder(pid: number | undefined, alive: boolean | undefined, file: string): string {
  if (pid === undefined) return `Another pywarp build holds ${file}.`;
  if (alive) return `pywarp build (pid ${pid}) holds ${file}.`;
  return `pywarp build (pid ${pid}) has ended, but a process it started (bin/build, pip) still holds ${file};
it ends by itself once that process does ('fuser -v ${file}' shows it).`;
}

/** What each timeout setting bounds, for its error. */
const TIMEOUT_BOUNDS: Record<TimeoutSetting, string> = {
  BP_APP_COMMAND_TIMEOUT: `each command of the app that the build runs (Django's settings and
collectstatic, warpdrive's build hooks, the launcher's server check)`,
  BP_PIP_INSTALL_TIMEOUT: "each pip install and the virtual environment's creation",
};

// --- lock files -------------------------------------------------------------------

const LOCK_TOOLS: Record<LockTool, string> = { pipenv: 'Pipenv', poetry: 'Poetry', uv: 'uv', pylock: 'PEP 751' };
const INSTALLER_HELP = `pywarp chooses how to install dependencies from the one file of these that the app has:
  requirements.txt                 pip
  Pipfile.lock                     Pipenv's lock
  poetry.lock                      Poetry's lock
  uv.lock                          uv's lock
  pylock.toml or pylock.NAME.toml  a PEP 751 lock
Lock files are installed exactly as locked, with pip and hash checking: no other tool is needed.
BP_PYTHON_INSTALLER=pip|pipenv|poetry|uv|pylock chooses one when the app has several.`;

/** The command that brings each kind of lock file up to date. */
export const LOCK_COMMANDS: Record<LockTool, string> = {
  pipenv: 'pipenv lock',
  poetry: 'poetry lock',
  uv: 'uv lock',
  pylock: 'uv export --format pylock.toml -o pylock.toml',
};

export const locks = {
  reasonLock: (file: string, tool: LockTool) =>
    `Installing exactly what ${file} locks (${LOCK_TOOLS[tool]}), with pip, --no-deps and hash checking.`,
  reasonChosen: (value: string) => `BP_PYTHON_INSTALLER=${value} chooses it.`,
  localProjects: (dirs: readonly string[]) =>
    `The lock installs ${dirs.map((d) => (d === '.' ? 'the app itself' : d)).join(' and ')} as a package: pip installs it after the locked packages, without dependencies.`,
  locked: (count: number, file: string) => `${file} locks ${count} packages for this target.`,
};

function staleText(file: string, stale: LockStale): string {
  switch (stale.why) {
    case 'hash':
      return `${stale.source === 'Pipfile' ? 'The Pipfile' : stale.source} changed after ${file} was written: its ${stale.field} is ${stale.actual}, ${file} records ${stale.recorded ?? 'none'}.`;
    case 'not-locked':
      return `${stale.owner} requires ${stale.packages.join(', ')}, which ${file} does not lock.`;
    case 'no-pyproject':
      return `The app has ${file} but no pyproject.toml, the project ${stale.tool} locked.`;
    case 'requires-dist':
      return `The project's dependencies changed after ${file} was written: ${[
        ...(stale.added.length ? [`pyproject.toml declares ${stale.added.join(', ')}, which ${file} did not record`] : []),
        ...(stale.removed.length ? [`${file} records ${stale.removed.join(', ')}, which pyproject.toml no longer declares`] : []),
      ].join('; ')}.`;
    case 'no-root':
      return `${file} locks no project at the app's top level.`;
  }
}

function lockSourceText(source: LockSource): string {
  switch (source.kind) {
    case 'path':
      return `the path ${source.location}`;
    case 'url':
      return `the URL ${source.location}`;
    case 'file':
      return `the file ${source.location}`;
    case 'directory-outside':
      return `the directory ${source.location}, outside the app`;
    case 'local-index':
      return `the local index ${source.location}`;
    case 'archive':
      return `the archive ${source.location}`;
    case 'vcs':
      return `${source.vcs} ${source.location}`;
  }
}

function lockDefectText(defect: LockDefect): string {
  if (defect.defect === 'no-version')
    return `${defect.package} has no ${defect.expected ? `pinned version (${defect.expected})` : 'version'}.`;
  const subject = {
    package: defect.package,
    'dependency-of': `A dependency of ${defect.package}`,
    'dependency-on': `The dependency on ${defect.package}`,
  }[defect.of];
  return `${subject} has an invalid marker: ${defect.detail}`;
}

// --- errors ----------------------------------------------------------------------

export const internalError = {
  title: 'Internal error',
  debugHint: 'Build with BP_LOG_LEVEL=debug to see where it happened.',
};

const EXPECTED_VERSION: Record<VersionSyntax, string> = {
  'python-version-file': EXPECTED_VERSION_FILE,
  'runtime-txt': EXPECTED_RUNTIME_TXT,
  specifier: EXPECTED_SPECIFIER,
};

function indented(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

/** "a", "a and b", "a, b and 3 more files". */
function listFiles(files: readonly string[]): string {
  if (files.length <= 2) return files.join(' and ');
  return files.length === 3 ? `${files[0]}, ${files[1]} and ${files[2]}` : `${files[0]}, ${files[1]} and ${files.length - 2} more files`;
}

function procfileProblemText(p: ProcfileProblem): string {
  const fix = {
    syntax: 'is not "type: command": put a colon after the process type',
    'not-utf8': 'is not UTF-8 (Latin-1 or another legacy encoding?): save the Procfile as UTF-8',
    type: 'has a process type with other characters: rename it',
    dots: 'has "." or ".." as its process type, which cannot name a process: rename it',
    nul: 'has a NUL character in its command, which no command can hold: remove it',
    duplicate: `defines ${'type' in p ? p.type : ''} again (line ${'first' in p ? p.first : ''} already does): keep one line per process type`,
  }[p.why];
  return `  line ${p.line}: ${quoteFound(p.text)}\n    ${fix}.`;
}

function pipFailureText(failure: PipFailure): [title: string, body: string] {
  switch (failure.kind) {
    case 'index-unreachable':
      return [
        "Can't reach the package index",
        `pip could not connect to the package index, or lost the connection to it (${failure.detail}).

Check PIP_INDEX_URL / PIP_EXTRA_INDEX_URL (or your pip binding) and that the build can reach
the index. For offline builds, vendor wheels into vendor/ and pywarp installs with --no-index.`,
      ];
    case 'unknown-package':
      return [
        `Package not found: ${failure.requirement}`,
        `pip found no distribution at all for ${failure.requirement}${failure.from ? ` (${failure.from})` : ''}.

Check the spelling of the name, and that the index you use (PIP_INDEX_URL) carries it.`,
      ];
    case 'no-matching-version':
      return [
        `No version of ${failure.requirement} matches`,
        `pip found ${failure.requirement.split(/[=<>!~ ]/)[0]} but no version that satisfies ${failure.requirement}${failure.from ? ` (${failure.from})` : ''}.
Available: ${failure.versions}

Relax the version specifier, or pick one of the versions above.`,
      ];
    case 'conflict':
      return [
        'The requirements conflict with each other',
        `pip could not find a set of versions that satisfies every requirement.
${failure.detail}

Loosen one of the conflicting specifiers.`,
      ];
    case 'invalid-requirement':
      return [
        `Invalid requirement: ${quoteFound(failure.line)}`,
        `pip cannot read the requirement "${quoteFound(failure.line)}"${failure.from ? ` (${failure.from})` : ''}.

Each line must be a requirement such as "flask==2.2.2" or "flask>=2,<3", or a pip option.`,
      ];
    case 'hash-mismatch':
      return [
        'Package hashes do not match',
        'A downloaded package does not match the hash in the requirements file (--require-hashes).\n\nRegenerate the hashes, or check that the index serves the files you pinned.',
      ];
    case 'build-failed':
      return [
        `A package failed to build${failure.package ? `: ${failure.package}` : ''}`,
        `pip had to build ${failure.package || 'a package'} from source and the build failed (see the log above).

Usually a C compiler or a system library is missing from the build image. Use a version
that ships a wheel for this platform, or vendor a pre-built wheel into vendor/.`,
      ];
    case 'other':
      return ['pip install failed', 'pip exited with an error. See the log output above for details.'];
  }
}

/** "exited with code 3" rather than execa's message, which repeats the whole command line. */
function phaseEnd(end: PhaseEnd): string {
  if ('exitCode' in end) return `exited with code ${end.exitCode}`;
  if ('signal' in end) return `was killed by ${end.signal}`;
  return `could not run: ${end.error}`;
}

function withOutput(text: string, output: string): string {
  return output.trim() ? `${text}\nIts output:\n${output.trimEnd()}` : text;
}

const PACKAGING_TITLE = 'Cannot package the buildpack';

/** The title and body of a failure (without the internal-error footer, which renderError adds). */
export function failureText(failure: Failure): { title: string; body: string } {
  const text = (title: string, body: string) => ({ title, body });
  switch (failure.kind) {
    case 'app-file-unreadable':
      return text(
        `Can't read ${failure.file}`,
        `pywarp needs to read ${failure.file} in the app, but reading it failed:
  ${quoteFound(failure.why)}

Check the file's permissions (it must be readable by the build's user) and build again.`,
      );
    case 'app-file-outside':
      return text(
        `${failure.file} points outside the app`,
        `${failure.file} is a symbolic link (or is reached through one) to a file outside the app's
directory. pywarp reads only the app's own files.

Replace the link with the file itself and build again.`,
      );
    case 'app-file-not-regular':
      return text(
        `${failure.file} is not a regular file`,
        `pywarp reads ${failure.file} as a text file, but it is a directory, a device, a FIFO or a socket.

Replace it with a regular file and build again.`,
      );
    case 'app-file-too-large':
      return text(
        `${failure.file} is too large`,
        `${failure.file} is ${failure.size} bytes; pywarp reads files like it only up to ${failure.limit} bytes.

Check that ${failure.file} is the file you meant, and build again.`,
      );
    case 'app-reads-too-deep':
      return text(
        `Requirements files include each other more than ${failure.limit} levels deep`,
        `Each -r or -c include that names another file is a level; after ${failure.limit}, pywarp still had to read:
${list(failure.files.slice(0, 5).map(quoteFound))}${failure.files.length > 5 ? `\n  … and ${failure.files.length - 5} more` : ''}

Include the files from fewer levels (a top requirements.txt can name them all).`,
      );
    case 'python-version-invalid':
      return text(
        `Invalid Python version in ${failure.origin}`,
        `pywarp could not read a Python version from ${failure.origin}. It found:
  ${quoteFound(failure.found)}

${EXPECTED_VERSION[failure.expected]}

Fix ${failure.origin} and build again. See ${DOCS}.`,
      );
    case 'python-version-unparsable':
      return text(
        `Can't parse ${failure.file}`,
        `pywarp reads the requested Python version from ${failure.file}, but the file is not valid:
  ${quoteFound(failure.detail)}

Fix the file's syntax and build again.`,
      );
    case 'python-version-unavailable':
      return text(
        `No Python version matches ${failure.text}`,
        `${failure.origin} requests Python ${quoteFound(failure.text)}, but no version that pywarp can install for ${failure.arch}
matches it. The versions available are:
${list(failure.available)}

Request one of those, for example by writing "${minorOf(failure.available[0] ?? '3')}" into .python-version.`,
      );
    case 'mirror-invalid':
      return text(
        `Invalid ${failure.variable}`,
        `${failure.variable} is set to:
  ${quoteFound(failure.value)}
which is not an https://, http:// or file:// URL.

A mirror replaces the scheme and host of each download URL and keeps its path, e.g.
  BP_DEPENDENCY_MIRROR=https://mirror.example.com/{originalHost}
turns https://github.com/a/b.tgz into https://mirror.example.com/github.com/a/b.tgz.`,
      );
    case 'mapping-duplicate':
      return text(
        'Two dependency-mapping bindings map the same file',
        `The bindings ${failure.bindings.join(' and ')} both have an entry named ${failure.sha256}.
Remove the entry from all but one of them.`,
      );
    case 'cpython-checksum-mismatch':
      return text(
        `Python ${failure.version} failed checksum verification`,
        `The file downloaded from
  ${failure.uri}
does not have the sha256 that buildpack.toml lists for it (${failure.detail}).
Nothing was extracted.

If you use a mirror (BP_DEPENDENCY_MIRROR…) or a dependency-mapping binding, check that it
serves the same file as the original URL. Otherwise the file may have been damaged or
replaced on the server.`,
      );
    case 'cpython-download-failed':
      return text(
        `Can't download Python ${failure.version}`,
        `pywarp could not download
  ${failure.uri}
${failure.retried ? 'after several tries' : 'because the server refused it'}: ${failure.detail}

Check that the build can reach that server. On air-gapped sites, point
BP_DEPENDENCY_MIRROR at a mirror, or map the file with a dependency-mapping binding
(see the README's "Air-gapped builds").`,
      );
    case 'cpython-download-stopped':
      return text(
        `The download of Python ${failure.version} was stopped`,
        `pywarp stopped downloading
  ${failure.uri}
because ${failure.detail}.
Nothing was extracted.

These limits keep a misbehaving server from holding up or filling the build. Check that
the URL (or BP_DEPENDENCY_MIRROR, or the dependency-mapping binding) serves the
python-build-standalone archive itself.`,
      );
    case 'cpython-rehash-failed':
      return text(
        "Can't make the runtime's .pyc files hash-based",
        `Python exited with an error while recompiling them:
${list(failure.lastLines.trimEnd().split('\n'))}`,
      );
    case 'launcher-compile-failed':
      return text(
        "Can't compile pywarp's launcher",
        `Python exited with an error while compiling the launcher's modules and launch.json:
${list(failure.lastLines.trimEnd().split('\n'))}`,
      );
    case 'proxy-invalid':
      return text(
        `Invalid ${failure.name}`,
        `${failure.name} is set to:
  ${quoteFound(failure.value)}
which is not an http:// or https:// URL.

Set it to the proxy's URL, e.g. ${failure.name}=http://proxy.example.com:3128, or unset it.`,
      );
    case 'pip-binding-invalid':
      return text(
        `Invalid ${failure.entry} in the pip binding ${failure.binding}`,
        `The binding's ${failure.entry} file holds (what may be secret hidden):
  ${quoteFound(failure.value)}
which is not an http:// or https:// URL.

Write the index's URL there, e.g. https://pypi.example.com/simple/, and the credentials in the
binding's username and password files.`,
      );
    case 'timeout-invalid':
      return text(
        `Invalid ${failure.setting}`,
        `${failure.setting} is set to:
  ${quoteFound(failure.value)}
which is not a whole number of seconds from 1 to 86400.

It bounds ${TIMEOUT_BOUNDS[failure.setting]}. Unset, it is ${failure.defaultSeconds}.`,
      );
    case 'app-command-timed-out':
      return text(
        `${failure.what} did not finish within ${failure.limitMs / 1000} s`,
        `pywarp stopped it, and every process it started, after ${failure.limitMs / 1000} s (BP_APP_COMMAND_TIMEOUT).
${failure.lastLines.trim() ? `Its last lines:\n${list(failure.lastLines.trimEnd().split('\n'))}` : 'It printed nothing.'}

A command that never ends is often an app that connects to a database or another service
while its settings are imported, and the build cannot reach it: connect lazily instead.
${failure.hint}Raise BP_APP_COMMAND_TIMEOUT (in seconds) if the command only needs longer.`,
      );
    case 'cpython-extract-failed':
      return text(
        `Can't extract Python ${failure.version}`,
        `The archive downloaded from
  ${failure.uri}
passed its checksum but could not be extracted: ${failure.detail}.
${failure.unsafeEntry ? 'pywarp refuses archive entries that would land outside the layer.\n' : ''}Nothing was installed. Check that buildpack.toml (or the mapping/mirror) points at a
python-build-standalone "install_only" archive.`,
      );
    case 'wsgi-module-missing':
      return text(
        `Can't find the WSGI module ${failure.module}`,
        `pywarp was told to serve the module ${failure.module}, but neither ${failure.path}.py
nor ${failure.path}/__init__.py exists in the app.

Check BP_WSGI_MODULE, APP_MODULE, gunicorn.conf.py's wsgi_app or Django's WSGI_APPLICATION.`,
      );
    case 'hook-failed':
      return text(
        `The ${failure.file.split('/').pop() ?? failure.file} hook failed`,
        `${failure.file} exited with status ${failure.status}. Its last lines:
${failure.output
  .split('\n')
  .map((l) => `  ${l}`)
  .join('\n')}

Fix the hook (run it locally to reproduce the error) and build again.`,
      );
    case 'app-home-outside':
      return text(
        'APP_HOME points outside the app',
        `APP_HOME (or .warpdrive/home) is set to:
  ${quoteFound(failure.value)}
It must name a directory inside the app, relative to its top (e.g. "backend").`,
      );
    case 'wsgi-callable-missing':
      return text(
        `${failure.module} has no WSGI callable named ${failure.callable}`,
        `pywarp serves ${failure.module}:${failure.callable}, but ${failure.module} does not define "${failure.callable}" at its top level.

Define it, for example:
  from myapp import app as ${failure.callable}
or set BP_WSGI_CALLABLE to the name your module uses (e.g. "app").`,
      );
    case 'django-no-wsgi':
      return text(
        'The Django settings have no WSGI_APPLICATION',
        `manage.py names the settings module ${failure.settings}, but pywarp found neither a
WSGI_APPLICATION = "project.wsgi.application" line in it nor a wsgi.py next to it.

Add WSGI_APPLICATION to the settings, or set BP_WSGI_MODULE and BP_WSGI_CALLABLE.`,
      );
    case 'procfile-invalid':
      return text(
        'The Procfile has lines pywarp cannot use',
        `Each Procfile line must be "type: command": a process type made of letters, digits, ".",
"_" and "-" (not "." or ".."), defined once, then its command.
${failure.problems.slice(0, 20).map(procfileProblemText).join('\n') || '  The file defines no process type: add a line such as "web: gunicorn app:app".'}${failure.problems.length > 20 ? `\n  … and ${failure.problems.length - 20} more lines` : ''}`,
      );
    case 'forbidden-env':
      return text(
        'Unsupported environment variables are set',
        `These variables would make pip or Python install or look for packages somewhere other
than the app's virtual environment, which would break the image:
${list(failure.names)}

Unset them in the build's environment (pack build --env, project.toml or your platform's
settings). pywarp sets up the virtual environment itself.`,
      );
    case 'server-wrong-interface':
      return text(
        `BP_PYTHON_SERVER names ${failure.name}, which cannot run this ${failure.interface.toUpperCase()} app`,
        `The app is ${failure.interface === 'asgi' ? 'an ASGI' : 'a WSGI'} app, and ${failure.name} runs only ${failure.interface === 'asgi' ? 'WSGI' : 'ASGI'} apps.
Servers that can run it: ${failure.able.join(', ')}.

Set BP_PYTHON_SERVER to one of them, or unset it to get the default.`,
      );
    case 'server-unknown':
      return text(
        `BP_PYTHON_SERVER names an unknown server: ${quoteFound(failure.name)}`,
        `BP_PYTHON_SERVER must be one of ${failure.known.join(', ')}, or "none" to add no server.`,
      );
    case 'requirement-file-missing':
      return text(
        'A requirements file named in BP_PIP_REQUIREMENT is missing',
        `BP_PIP_REQUIREMENT names ${failure.files.join(', ')}, but the app has no such file at its top level.

Fix the names in BP_PIP_REQUIREMENT (files separated by spaces), or add the files.`,
      );
    case 'requirements-misspelt':
      return text(
        `Found ${failure.file}; did you mean requirements.txt?`,
        `The app has a file named ${failure.file}, but pip reads requirements.txt.

Rename it to requirements.txt (the name is case-sensitive) and build again.`,
      );
    case 'requirements-too-long':
      return text(
        `The requirements have ${failure.lines.toLocaleString('en')} lines, more than pywarp installs`,
        `${listFiles(failure.files)} ${failure.files.length > 1 ? 'have' : 'has'} ${failure.lines.toLocaleString('en')} requirement lines (continuations joined, comments left out);
pywarp installs at most ${failure.limit.toLocaleString('en')}: no project needs as many, and pip slows down with each.

Check that the file is the one you meant (not generated by mistake), list each
requirement once, and build again.`,
      );
    case 'pip-timed-out':
      return text(
        `${failure.command} did not finish within ${failure.limitMs / 1000} s`,
        `pywarp stopped it, and every process it started, after ${failure.limitMs / 1000} s (BP_PIP_INSTALL_TIMEOUT).
${failure.lastLines.trim() ? `Its last lines:\n${list(failure.lastLines.trimEnd().split('\n'))}` : 'It printed nothing.'}

An index or a download that answers too slowly keeps pip waiting (each wait ends after
15 s without a byte, but a trickle never does); a package built from source may just take long.
Check the index (PIP_INDEX_URL), or raise BP_PIP_INSTALL_TIMEOUT (in seconds).`,
      );
    case 'venv-create-failed':
      return text(
        "Can't create the virtual environment",
        `'python -m venv' exited with an error:
${indented(failure.outputTail)}`,
      );
    case 'pip-failed': {
      const [title, body] = pipFailureText(failure.cause);
      return text(
        title,
        `${body}

pip's last lines:
${indented(failure.pipTail)}
${failure.file ? `\nThe requirements come from ${failure.file}.` : ''}`,
      );
    }
    case 'installer-files-multiple':
      return text(
        'More than one file says how to install dependencies',
        `The app has ${failure.files.join(', ')}, and each of them would choose how its dependencies are
installed. pywarp won't guess which one is current.

Delete the ones that are stale, or set BP_PYTHON_INSTALLER to the installer to use
(pip for requirements.txt; pipenv, poetry, uv or pylock for their lock files).

${INSTALLER_HELP}`,
      );
    case 'pylock-files-multiple':
      return text(
        'More than one PEP 751 lock file',
        `The app has ${failure.files.join(', ')} but no pylock.toml. pywarp installs pylock.pywarp.toml,
else pylock.toml, else the one pylock.NAME.toml when there is only one.

Rename the lock to install to pylock.pywarp.toml or pylock.toml.`,
      );
    case 'installer-unknown':
      return text(
        `BP_PYTHON_INSTALLER names an unknown installer: ${quoteFound(failure.value)}`,
        `BP_PYTHON_INSTALLER must be one of pip, pipenv, poetry, uv or pylock.

${INSTALLER_HELP}`,
      );
    case 'installer-file-missing':
      return text(
        `BP_PYTHON_INSTALLER=${failure.installer} but the app has no ${failure.file}`,
        `BP_PYTHON_INSTALLER=${failure.installer} installs from ${failure.file}, which is not at the app's top level.

Add the file (commit it), or change or unset BP_PYTHON_INSTALLER.`,
      );
    case 'installer-conflict':
      return text(
        'BP_PIP_REQUIREMENT and BP_PYTHON_INSTALLER disagree',
        `BP_PIP_REQUIREMENT names requirements files for pip, but BP_PYTHON_INSTALLER=${failure.installer}
installs from a lock file. Unset one of them.`,
      );
    case 'pipfile-without-lock':
      return text(
        'Pipfile has no Pipfile.lock',
        `The app declares its dependencies in a Pipfile but has no Pipfile.lock. pywarp installs
exactly what a lock file says and does not resolve a Pipfile itself.

Run \`pipenv lock\`, commit Pipfile.lock and build again.`,
      );
    case 'poetry-without-lock':
      return text(
        'pyproject.toml has Poetry dependencies but no poetry.lock',
        `The dependencies are declared in [tool.poetry.dependencies] only, and pyproject.toml has
no [build-system], so 'pip install .' would install none of them.

Run \`poetry lock\`, commit poetry.lock and build again.`,
      );
    case 'conda-unsupported':
      return text(
        'Conda environments are not supported',
        `The app has ${failure.file}, a conda environment, and nothing pywarp can install from.
pywarp installs Python packages from PyPI-style indexes with pip.

${INSTALLER_HELP}
or a pyproject.toml/setup.py installed with 'pip install .'. Moving the pip part of
${failure.file} into a requirements.txt is usually enough.`,
      );
    case 'lock-unreadable':
      return text(
        `Can't read ${failure.file}`,
        `${failure.file} is not valid: ${quoteFound(failure.detail)}

Regenerate it with the tool that wrote it, commit it and build again.`,
      );
    case 'project-requirement-invalid':
      return text(
        `Can't read ${failure.file}`,
        `${failure.file} is not valid: "${quoteFound(failure.text)}" is not a requirement

Each dependency must be a PEP 508 requirement such as "flask>=2.2"; fix it, lock again and build again.`,
      );
    case 'lock-version-unsupported':
      return text(
        `${failure.file} has an unsupported format version`,
        `${failure.file} says it is format version ${quoteFound(failure.version)}; pywarp reads ${failure.supported}.

Regenerate it with a current version of the tool, or tell us at https://github.com/pywarp/pywarp/issues.`,
      );
    case 'lock-out-of-date': {
      const command = LOCK_COMMANDS[failure.tool];
      return text(
        `${failure.file} is out of date; run \`${command}\``,
        `${staleText(failure.file, failure.stale)}

pywarp installs only what the lock says, so it stops here rather than install something
other than what the project declares. Run \`${command}\`, commit ${failure.file} and build again.`,
      );
    }
    case 'lock-source-unsupported': {
      const what = lockSourceText(failure.source);
      return text(
        `${failure.file}: ${failure.package} comes from ${what}`,
        `pywarp installs locked packages from package indexes, and the app's own directories.
${failure.package} is locked from ${what}, which it can't install with hash checking.

Publish ${failure.package} to an index (a private one works: the lock records it), or vendor its wheel
and lock that.`,
      );
    }
    case 'lock-python-mismatch':
      return text(
        `${failure.file} does not allow Python ${failure.python}`,
        `${failure.file} was locked for Python ${quoteFound(failure.requires)}, but the build uses Python ${failure.python}.

Request a Python version the lock allows (.python-version), or widen requires-python and lock again.`,
      );
    case 'lock-hash-missing':
      return text(
        `${failure.file} records no hash for ${failure.package}`,
        `pywarp installs lock files with hash checking, and ${failure.file} has no sha256 for ${failure.package}.

Lock again with the tool (it records hashes unless told not to) and build again.`,
      );
    case 'lock-no-wheel':
      return text(
        `${failure.package} ${failure.version} has no file for linux/${failure.arch}`,
        `${failure.file} locks ${failure.package} ${failure.version} with these files only:
${list(failure.filenames.map(quoteFound))}
None of them installs on linux/${failure.arch}, and there is no source distribution to build.

Lock for this platform too (uv: tool.uv.required-environments; Poetry and Pipenv lock
every platform's files), or pick a version that ships a wheel for it.`,
      );
    case 'lock-variable-unset':
      return text(
        `${failure.file} uses \${${failure.variable}}, which is not set`,
        `A package source in ${failure.file} refers to \${${failure.variable}}, but the build has no such variable.

Set it in the build's environment (pack build --env, or the platform's env directory).`,
      );
    case 'lock-hash-mismatch': {
      const { file, mismatches } = failure;
      return text(
        mismatches.length === 1
          ? `${mismatches[0]?.requirement} does not match the hash in ${file}`
          : `${mismatches.length} packages do not match the hashes in ${file}`,
        `${mismatches
          .map(
            (m) => `${m.requirement}: ${file} allows ${m.algorithm} ${m.expected.join(' or ')}
  but the index served ${m.got}`,
          )
          .join('\n')}

Nothing was installed. Either the index serves a different file than the one locked (a
mirror that rebuilt it, or tampering), or the lock was edited by hand. Check the index,
or lock again and review the change.`,
      );
    }
    case 'lock-malformed':
      return text(
        `${failure.file} is inconsistent`,
        `${lockDefectText(failure.defect)}

Regenerate ${failure.file} with the tool that wrote it, commit it and build again.`,
      );
    case 'collectstatic-failed':
      return text(
        "Django's collectstatic failed",
        `'python manage.py collectstatic --noinput' exited with an error. Django said:
${indented(failure.djangoTail)}

Fix the error above (run the same command locally to reproduce it), or skip the step
with BP_DISABLE_COLLECTSTATIC=true and serve static files another way.`,
      );
    case 'django-settings-unreadable':
      return text(
        "Can't read Django's static file settings",
        `pywarp asks Django for INSTALLED_APPS, STATIC_ROOT, STATIC_URL and MIDDLEWARE with
'python -c "django.setup() …"'. Python exited without an error, but its answer is not in what it
printed${failure.lastLines.trim() ? `. Its last lines:\n${list(failure.lastLines.trimEnd().split('\n'))}` : ' (it printed nothing).'}

Something in the settings or an app ends Python early (os._exit, sys.exit at import), replaces
sys.stdout, or prints a great deal at exit. Fix that, or skip the step with
BP_DISABLE_COLLECTSTATIC=true and serve static files another way.`,
      );
    case 'no-server':
      return text(
        'No WSGI server is installed',
        `The app has a WSGI entry point but none of ${failure.servers.join(', ')} is
installed (BP_PYTHON_SERVER=none), so there is no web process. Add a server to the
requirements, or unset BP_PYTHON_SERVER.`,
      );
    case 'cnb-context-missing':
      return text(
        `${failure.name} is not set`,
        `${failure.name} is not set and no positional argument gives it. The CNB lifecycle sets it
when it runs the buildpack's bin/detect and bin/build.`,
      );
    case 'cnb-format':
      return text(`Invalid ${failure.format}`, failure.problem);
    case 'node-fetch-failed':
      return text(
        PACKAGING_TITLE,
        `\`npm pack ${failure.spec}\` failed; the package ships that Node.js build from the npm registry.
${failure.output.trim()}
Check that npm can reach its registry (npm config get registry; proxy settings), then package again.`,
      );
    case 'node-integrity-invalid':
      return text(
        PACKAGING_TITLE,
        `The pinned integrity of ${failure.spec} is not a sha512 SRI string: "${quoteFound(failure.integrity)}".`,
      );
    case 'node-integrity-mismatch':
      return text(
        PACKAGING_TITLE,
        `${failure.spec} from the registry does not match its pinned integrity:
  expected ${failure.expected}
  got      ${failure.actual}
The download was deleted. A registry mirror serving other bytes, or a proxy rewriting them, would do this.`,
      );
    case 'node-package-invalid':
      return text(
        PACKAGING_TITLE,
        `${failure.spec} has no package/bin/node and package/LICENSE: it is not an official Node.js build package.`,
      );
    case 'node-wrong-machine':
      return text(
        PACKAGING_TITLE,
        `package/bin/node of ${failure.spec} is ${failure.actual === undefined ? 'not a 64-bit ELF executable' : `built for ELF machine ${failure.actual}`}, not ${failure.expected}.`,
      );
    case 'package-already-packaged':
      return text(
        PACKAGING_TITLE,
        'buildpack.toml already has [metadata.node]: it looks like a packaged buildpack; package from the source tree.',
      );
    case 'package-failed':
      return text(PACKAGING_TITLE, failure.detail);
    case 'work-dirs-unknown':
      return text('No directory for build files', 'Set HOME or XDG_CACHE_HOME, or pass --layers, --cache and --platform.');
    case 'app-not-found':
      return text('App not found', `${failure.dir} is not a directory.`);
    case 'buildpack-not-found':
      return text('No buildpack found', `${failure.file} does not exist or cannot be read.`);
    case 'buildpack-toml-invalid':
      return text('Invalid buildpack.toml', failure.detail);
    case 'detect-opted-out':
      return text(
        'No buildpack detected',
        withOutput('bin/detect exited with code 100: the buildpack does not apply to this app.', failure.output),
      );
    case 'detect-plan-unmet':
      return text(
        'No buildpack detected',
        withOutput('No alternative of its build plan requires everything it provides and provides everything it requires.', failure.output),
      );
    case 'detect-failed':
      return text('bin/detect failed', withOutput(`bin/detect ${phaseEnd(failure.end)}.`, failure.output));
    case 'detect-plan-invalid':
      return text('bin/detect wrote an invalid build plan', withOutput(failure.detail, failure.output));
    case 'build-failed':
      return text('bin/build failed', `bin/build ${phaseEnd(failure.end)}. See its output above.`);
    case 'build-locked':
      if (failure.blocked === 'launch')
        return text(
          'A build of this app is running',
          `${lockHolder(failure.pid, failure.alive, failure.file)}
Its layers are being replaced, so the previous build cannot be launched until it ends.
Launch again once the build has finished${failure.alive ? ` (or stop it: kill ${failure.pid})` : ''}.`,
        );
      if (failure.blocked === 'clean')
        return text(
          'A build of this app is running',
          `${lockHolder(failure.pid, failure.alive, failure.file)}
Removing its state now would pull the layers and cache from under it, so nothing was removed.
Clean again once the build has finished${failure.alive ? ` (or stop it: kill ${failure.pid})` : ''}.`,
        );
      return text(
        'Another build is running',
        `${lockHolder(failure.pid, failure.alive, failure.file)}
Two builds of the same app at once would overwrite each other's layers and cache.
Wait for it to finish and build again${failure.alive ? `, or stop it (kill ${failure.pid}): its previous image is kept` : ''}.`,
      );
    case 'build-interrupted':
      return text(
        `Build stopped by ${failure.signal}`,
        'The build did not finish. The previous build is unchanged and can still be launched.',
      );
    case 'build-output-invalid':
      return text('Invalid build output', failure.problems.map((p) => `- ${p}`).join('\n'));
    case 'build-metadata-unreadable':
      return text('Unreadable build metadata', `${failure.detail}. Build the app again.`);
    case 'nothing-to-launch':
      return text('Nothing to launch', `${failure.layersDir} holds no build. ${lifecycleHints.buildFirst(failure.appDir)}`);
    case 'no-default-process':
      return text(
        'No process to launch',
        'The build has no default process, so a command is required: pass --process TYPE, or -- COMMAND [ARGS...].',
      );
    case 'process-type-unknown':
      return text(
        `Unknown process type "${failure.type}"`,
        `The build defined these process types: ${failure.known.join(', ') || 'none'}.`,
      );
    case 'command-not-found':
      return text(`Command not found: ${failure.name}`, `"${failure.name}" is not on the launch PATH (${failure.path}).`);
    case 'exec-d-failed':
      return text('exec.d program failed', `${failure.program}: ${failure.detail}`);
    case 'exec-d-output-invalid':
      return text('exec.d program wrote invalid output', failure.detail);
    case 'process-start-failed':
      return text(`Cannot start ${failure.file}`, failure.detail);
  }
}
