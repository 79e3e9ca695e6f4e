// Every user-facing sentence of the buildpack, kept apart from the logic so it can be
// read, reviewed and tested as product copy. Logic modules build errors through these.
import { minorOf } from '../plan/python-minor.js';
import { BuildError } from './build-error.js';

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
  failed: (lookedFor: readonly string[]) =>
    `No Python app here: none of ${lookedFor.join(', ')} was found at the top level.`,
};

/** Why a cached layer is rebuilt: the same list for every layer. */
export function rebuilding(what: string, reasons: readonly string[]): string {
  return `Rebuilding ${what} because:\n${reasons.map((r) => `  - ${r}`).join('\n')}`;
}

// --- reading the app ----------------------------------------------------------

export const appFiles = {
  unreadable: (file: string, why: string) =>
    new BuildError(`Can't read ${file}`,
      `pywarp needs to read ${file} in the app, but reading it failed:
  ${quoteFound(why)}

Check the file's permissions (it must be readable by the build's user) and build again.`),
  outsideApp: (file: string) =>
    new BuildError(`${file} points outside the app`,
      `${file} is a symbolic link (or is reached through one) to a file outside the app's
directory. pywarp reads only the app's own files.

Replace the link with the file itself and build again.`),
  notRegularFile: (file: string) =>
    new BuildError(`${file} is not a regular file`,
      `pywarp reads ${file} as a text file, but it is a directory, a device, a FIFO or a socket.

Replace it with a regular file and build again.`),
  appFileTooLarge: (file: string, size: number, limit: number) =>
    new BuildError(`${file} is too large`,
      `${file} is ${size} bytes; pywarp reads files like it only up to ${limit} bytes.

Check that ${file} is the file you meant, and build again.`),
};

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
  invalid: (origin: string, found: string, expected: string) =>
    new BuildError(`Invalid Python version in ${origin}`,
      `pywarp could not read a Python version from ${origin}. It found:
  ${quoteFound(found)}

${expected}

Fix ${origin} and build again. See ${DOCS}.`),
  unparsable: (file: string, detail: string) =>
    new BuildError(`Can't parse ${file}`,
      `pywarp reads the requested Python version from ${file}, but the file is not valid:
  ${quoteFound(detail)}

Fix the file's syntax and build again.`),
  noMatch: (origin: string, text: string, arch: string, available: readonly string[]) =>
    new BuildError(`No Python version matches ${text}`,
      `${origin} requests Python ${quoteFound(text)}, but no version that pywarp can install for ${arch}
matches it. The versions available are:
${list(available)}

Request one of those, for example by writing "${minorOf(available[0] ?? '3')}" into .python-version.`),
};

export const EXPECTED_VERSION_FILE = `A .python-version file holds a version per line, as X.Y (recommended, e.g. "3.12"), X.Y.Z,
cpython-X.Y or a specifier (">=3.11"); the first that pywarp can install is used, and lines
starting with # are comments.`;
export const EXPECTED_RUNTIME_TXT = 'runtime.txt holds one line of the form "python-X.Y.Z" (e.g. "python-3.12.7").';
export const EXPECTED_SPECIFIER = 'The value must be a version (e.g. "3.12") or a PEP 440 specifier (e.g. ">=3.10,<3.13").';

// --- mirrors and downloads ---------------------------------------------------

export const mirrors = {
  invalidMirror: (variable: string, value: string) =>
    new BuildError(`Invalid ${variable}`,
      `${variable} is set to:
  ${quoteFound(value)}
which is not an https://, http:// or file:// URL.

A mirror replaces the scheme and host of each download URL and keeps its path, e.g.
  BP_DEPENDENCY_MIRROR=https://mirror.example.com/{originalHost}
turns https://github.com/a/b.tgz into https://mirror.example.com/github.com/a/b.tgz.`),
  duplicateMapping: (sha256: string, names: readonly string[]) =>
    new BuildError('Two dependency-mapping bindings map the same file',
      `The bindings ${names.join(' and ')} both have an entry named ${sha256}.
Remove the entry from all but one of them.`),
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
  downloadFailed: (dep: { version: string; sha256: string }, uri: string, err: Error & { kind?: string }) =>
    err.kind === 'checksum'
      ? new BuildError(`Python ${dep.version} failed checksum verification`,
        `The file downloaded from
  ${uri}
does not have the sha256 that buildpack.toml lists for it (${err.message}).
Nothing was extracted.

If you use a mirror (BP_DEPENDENCY_MIRROR…) or a dependency-mapping binding, check that it
serves the same file as the original URL. Otherwise the file may have been damaged or
replaced on the server.`)
      : new BuildError(`Can't download Python ${dep.version}`,
        `pywarp could not download
  ${uri}
${err.kind === 'network' ? 'after several tries' : 'because the server refused it'}: ${err.message}

Check that the build can reach that server. On air-gapped sites, point
BP_DEPENDENCY_MIRROR at a mirror, or map the file with a dependency-mapping binding
(see the README's "Air-gapped builds").`),
  extractFailed: (dep: { version: string }, uri: string, err: Error & { entry?: string }) =>
    new BuildError(`Can't extract Python ${dep.version}`,
      `The archive downloaded from
  ${uri}
passed its checksum but could not be extracted: ${err.message}.
${err.entry ? 'pywarp refuses archive entries that would land outside the layer.\n' : ''}Nothing was installed. Check that buildpack.toml (or the mapping/mirror) points at a
python-build-standalone "install_only" archive.`),
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
  7. wsgi.py, or a wsgi/ package, with a WSGI callable named "application" (warpdrive);
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
  reasonGunicornConf: (file: string, target: string) => `${file} sets wsgi_app = "${target}": gunicorn reads the rest of its settings from it.`,
  reasonAppSh: (file: string) => `${file} is executable, so it is run as the app.`,
  reasonScript: (file: string) => `${file} starts a server itself, so it is run with "python ${file}".`,
  reasonModuleApp: (file: string, target: string) => `${file} defines the WSGI app ${target} and starts no server itself, so it is served.`,
  reasonModuleFactory: (file: string, target: string) => `${file} defines the app factory ${target}, so the app it returns is served.`,
  reasonDjango: (managePy: string, settings: string, wsgi: string, from: string) => `${managePy} names the Django settings ${settings}; ${from} ${wsgi}.`,
  djangoFromSetting: 'their WSGI_APPLICATION is',
  djangoFromPackage: 'they set no WSGI_APPLICATION, so the WSGI module next to them is served:',
  reasonWsgiPy: (file: string) => `${file} provides the WSGI application.`,
  reasonPackage: (origin: string, module: string, target: string) => `${origin} names the project ${module}, whose module defines ${target}.`,
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
  wsgiModuleMissing: (path: string, module: string) =>
    new BuildError(`Can't find the WSGI module ${module}`,
      `pywarp was told to serve the module ${module}, but neither ${path}.py
nor ${path}/__init__.py exists in the app.

Check BP_WSGI_MODULE, APP_MODULE, gunicorn.conf.py's wsgi_app or Django's WSGI_APPLICATION.`),
  appHomeOutside: (value: string) =>
    new BuildError('APP_HOME points outside the app',
      `APP_HOME (or .warpdrive/home) is set to:
  ${quoteFound(value)}
It must name a directory inside the app, relative to its top (e.g. "backend").`),
  wsgiCallableMissing: (module: string, callable: string) =>
    new BuildError(`${module} has no WSGI callable named ${callable}`,
      `pywarp serves ${module}:${callable}, but ${module} does not define "${callable}" at its top level.

Define it, for example:
  from myapp import app as ${callable}
or set BP_WSGI_CALLABLE to the name your module uses (e.g. "app").`),
  djangoNoWsgi: (settings: string) =>
    new BuildError('The Django settings have no WSGI_APPLICATION',
      `manage.py names the settings module ${settings}, but pywarp found neither a
WSGI_APPLICATION = "project.wsgi.application" line in it nor a wsgi.py next to it.

Add WSGI_APPLICATION to the settings, or set BP_WSGI_MODULE and BP_WSGI_CALLABLE.`),
  procfileInvalid: (lines: readonly string[]) =>
    new BuildError('The Procfile has lines pywarp cannot read',
      `Each Procfile line must be "type: command", where the type is made of letters, digits,
".", "_" and "-". These lines are not:
${lines.map((l) => `  ${quoteFound(l)}`).join('\n') || '  (the file defines no process type)'}`),
};

// --- environment checks -------------------------------------------------------

export const checks = {
  forbiddenEnv: (names: readonly string[]) =>
    new BuildError('Unsupported environment variables are set',
      `These variables would make pip or Python install or look for packages somewhere other
than the app's virtual environment, which would break the image:
${names.map((n) => `  ${n}`).join('\n')}

Unset them in the build's environment (pack build --env, project.toml or your platform's
settings). pywarp sets up the virtual environment itself.`),
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
  reasonOptions: (from: string, to: string) => `the install options changed (from "${from}" to "${to}")`,
  reasonTarget: (from: string, to: string) => `the target changed from ${from} to ${to}`,
  reasonUnsafe: (what: string) => `${what} is installed from the app's own source, so a kept venv could be stale`,
  unsafeNote: (what: string) => `${what} copies the app's own source into the venv: the venv is rebuilt on every build so it never serves stale code.`,
  editableNote: (paths: readonly string[]) => `Editable installs of ${paths.join(', ')} point at the app source; their packaging files are part of the reuse key.`,
  addingServer: (requirement: string, why: string) => `The app has a WSGI entry point but no server among its requirements: adding ${requirement} (${why}).`,
  addingStatics: (requirement: string, why: string) => `The Django app's static files need serving under every server: adding ${requirement} (${why}).`,
  serverFound: (servers: readonly string[]) => `Servers installed: ${servers.join(', ')}.`,
  pipCompleted: (took: string) => `Completed in ${took}.`,
  installed: (count: number, took: string) => `Installed ${count} distributions in ${took}.`,
  venvDirInApp: (dir: string) => `The app contains ${dir}/, a local virtual environment. pywarp installs dependencies into its own venv layer; ${dir}/ is ignored at run time. Add it to .gitignore or your build's exclusions to keep the image small.`,
  requirementFileMissing: (files: readonly string[]) =>
    new BuildError('A requirements file named in BP_PIP_REQUIREMENT is missing',
      `BP_PIP_REQUIREMENT names ${files.join(', ')}, but the app has no such file at its top level.

Fix the names in BP_PIP_REQUIREMENT (files separated by spaces), or add the files.`),
  misspeltRequirements: (file: string) =>
    new BuildError(`Found ${file}; did you mean requirements.txt?`,
      `The app has a file named ${file}, but pip reads requirements.txt.

Rename it to requirements.txt (the name is case-sensitive) and build again.`),
  unknownServer: (name: string, known: readonly string[]) =>
    new BuildError(`BP_PYTHON_SERVER names an unknown server: ${quoteFound(name)}`,
      `BP_PYTHON_SERVER must be one of ${known.join(', ')}, or "none" to add no server.`),
  pipFailed: (title: string, body: string, pipTail: string, file?: string) =>
    new BuildError(title,
      `${body}

pip's last lines:
${pipTail.split('\n').map((l) => `  ${l}`).join('\n')}
${file ? `\nThe requirements come from ${file}.` : ''}`),
};

export const pipFailures = {
  unreachable: (detail: string) => ['Can\'t reach the package index',
    `pip could not connect to the package index, or lost the connection to it (${detail}).

Check PIP_INDEX_URL / PIP_EXTRA_INDEX_URL (or your pip binding) and that the build can reach
the index. For offline builds, vendor wheels into vendor/ and pywarp installs with --no-index.`] as const,
  unknown: (req: string, from?: string) => [`Package not found: ${req}`,
    `pip found no distribution at all for ${req}${from ? ` (${from})` : ''}.

Check the spelling of the name, and that the index you use (PIP_INDEX_URL) carries it.`] as const,
  noVersion: (req: string, versions: string, from?: string) => [`No version of ${req} matches`,
    `pip found ${req.split(/[=<>!~ ]/)[0]} but no version that satisfies ${req}${from ? ` (${from})` : ''}.
Available: ${versions}

Relax the version specifier, or pick one of the versions above.`] as const,
  conflict: (detail: string) => ['The requirements conflict with each other',
    `pip could not find a set of versions that satisfies every requirement.
${detail}

Loosen one of the conflicting specifiers.`] as const,
  invalid: (line: string, from?: string) => [`Invalid requirement: ${quoteFound(line)}`,
    `pip cannot read the requirement "${quoteFound(line)}"${from ? ` (${from})` : ''}.

Each line must be a requirement such as "flask==2.2.2" or "flask>=2,<3", or a pip option.`] as const,
  hashes: () => ['Package hashes do not match',
    'A downloaded package does not match the hash in the requirements file (--require-hashes).\n\nRegenerate the hashes, or check that the index serves the files you pinned.'] as const,
  build: (pkg: string) => [`A package failed to build${pkg ? `: ${pkg}` : ''}`,
    `pip had to build ${pkg || 'a package'} from source and the build failed (see the log above).

Usually a C compiler or a system library is missing from the build image. Use a version
that ships a wheel for this platform, or vendor a pre-built wheel into vendor/.`] as const,
  other: () => ['pip install failed',
    'pip exited with an error. See the log output above for details.'] as const,
};

// --- Django -----------------------------------------------------------------

export const django = {
  header: 'Generating Django static files',
  skippedBy: (name: string) => `Skipping collectstatic: ${name} is set.`,
  skippedNoStaticfiles: 'Skipping collectstatic: django.contrib.staticfiles is not in INSTALLED_APPS.',
  defaultRoot: (root: string) => `The settings set no STATIC_ROOT; collecting into ${root}.`,
  collectstaticFailed: (djangoTail: string) =>
    new BuildError("Django's collectstatic failed",
      `'python manage.py collectstatic --noinput' exited with an error. Django said:
${djangoTail.split('\n').map((l) => `  ${l}`).join('\n')}

Fix the error above (run the same command locally to reproduce it), or skip the step
with BP_DISABLE_COLLECTSTATIC=true and serve static files another way.`),
};

// --- launch processes ------------------------------------------------------------

export const launch = {
  header: 'Setting launch processes',
  process: (type: string, what: string, isDefault: boolean) => `${type}: ${what}${isDefault ? ' (default)' : ''}`,
  web: (choice: string) => `the server named by PYWARP_SERVER_TYPE or WARPDRIVE_SERVER_TYPE at run time, else ${choice}`,
  serverChoice: (name: string, origin: string) => `${name} (${origin})`,
  firstInstalled: (name: string, installed: readonly string[]) => `${name} (the first installed of ${installed.join(', ')}, warpdrive's order)`,
  serverNotInstalled: (name: string) => `BP_PYTHON_SERVER names ${name}, which is not installed; web falls back to warpdrive's order.`,
  noServer: (servers: readonly string[]) =>
    new BuildError('No WSGI server is installed',
      `The app has a WSGI entry point but none of ${servers.join(', ')} is
installed (BP_PYTHON_SERVER=none), so there is no web process. Add a server to the
requirements, or unset BP_PYTHON_SERVER.`),
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
  title: 'Cannot package the buildpack',
  fetchFailed: (spec: string, output: string) => `\`npm pack ${spec}\` failed; the package ships that Node.js build from the npm registry.
${output.trim()}
Check that npm can reach its registry (npm config get registry; proxy settings), then package again.`,
  badIntegrity: (spec: string, integrity: string) => `The pinned integrity of ${spec} is not a sha512 SRI string: "${quoteFound(integrity)}".`,
  integrityMismatch: (spec: string, expected: string, actual: string) => `${spec} from the registry does not match its pinned integrity:
  expected ${expected}
  got      ${actual}
The download was deleted. A registry mirror serving other bytes, or a proxy rewriting them, would do this.`,
  notANodePackage: (spec: string) => `${spec} has no package/bin/node and package/LICENSE: it is not an official Node.js build package.`,
  wrongMachine: (spec: string, expected: number, actual: number | undefined) =>
    `package/bin/node of ${spec} is ${actual === undefined ? 'not a 64-bit ELF executable' : `built for ELF machine ${actual}`}, not ${expected}.`,
  archWithOci: '--arch applies to --format tgz and dir; an OCI image layout always holds linux/amd64 and linux/arm64.',
  alreadyPackaged: 'buildpack.toml already has [metadata.node]: it looks like a packaged buildpack; package from the source tree.',
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

// --- lock files -------------------------------------------------------------------

const LOCK_TOOLS = { pipenv: 'Pipenv', poetry: 'Poetry', uv: 'uv', pylock: 'PEP 751' } as const;
const INSTALLER_HELP = `pywarp chooses how to install dependencies from the one file of these that the app has:
  requirements.txt                 pip
  Pipfile.lock                     Pipenv's lock
  poetry.lock                      Poetry's lock
  uv.lock                          uv's lock
  pylock.toml or pylock.NAME.toml  a PEP 751 lock
Lock files are installed exactly as locked, with pip and hash checking: no other tool is needed.
BP_PYTHON_INSTALLER=pip|pipenv|poetry|uv|pylock chooses one when the app has several.`;

/** The command that brings each kind of lock file up to date. */
export const LOCK_COMMANDS = { pipenv: 'pipenv lock', poetry: 'poetry lock', uv: 'uv lock', pylock: 'uv export --format pylock.toml -o pylock.toml' } as const;

export const locks = {
  reasonLock: (file: string, tool: keyof typeof LOCK_TOOLS) =>
    `Installing exactly what ${file} locks (${LOCK_TOOLS[tool]}), with pip, --no-deps and hash checking.`,
  reasonChosen: (value: string) => `BP_PYTHON_INSTALLER=${value} chooses it.`,
  localProjects: (dirs: readonly string[]) =>
    `The lock installs ${dirs.map((d) => (d === '.' ? 'the app itself' : d)).join(' and ')} as a package: pip installs it after the locked packages, without dependencies.`,
  locked: (count: number, file: string) => `${file} locks ${count} packages for this target.`,
  multipleFiles: (files: readonly string[]) =>
    new BuildError('More than one file says how to install dependencies',
      `The app has ${files.join(', ')}, and each of them would choose how its dependencies are
installed. pywarp won't guess which one is current.

Delete the ones that are stale, or set BP_PYTHON_INSTALLER to the installer to use
(pip for requirements.txt; pipenv, poetry, uv or pylock for their lock files).

${INSTALLER_HELP}`),
  tooManyPylocks: (files: readonly string[]) =>
    new BuildError('More than one PEP 751 lock file',
      `The app has ${files.join(', ')} but no pylock.toml. pywarp installs pylock.pywarp.toml,
else pylock.toml, else the one pylock.NAME.toml when there is only one.

Rename the lock to install to pylock.pywarp.toml or pylock.toml.`),
  unknownInstaller: (value: string) =>
    new BuildError(`BP_PYTHON_INSTALLER names an unknown installer: ${quoteFound(value)}`,
      `BP_PYTHON_INSTALLER must be one of pip, pipenv, poetry, uv or pylock.

${INSTALLER_HELP}`),
  installerFileMissing: (value: string, expected: string) =>
    new BuildError(`BP_PYTHON_INSTALLER=${value} but the app has no ${expected}`,
      `BP_PYTHON_INSTALLER=${value} installs from ${expected}, which is not at the app's top level.

Add the file (commit it), or change or unset BP_PYTHON_INSTALLER.`),
  installerConflict: (value: string) =>
    new BuildError('BP_PIP_REQUIREMENT and BP_PYTHON_INSTALLER disagree',
      `BP_PIP_REQUIREMENT names requirements files for pip, but BP_PYTHON_INSTALLER=${value}
installs from a lock file. Unset one of them.`),
  pipfileWithoutLock: () =>
    new BuildError('Pipfile has no Pipfile.lock',
      `The app declares its dependencies in a Pipfile but has no Pipfile.lock. pywarp installs
exactly what a lock file says and does not resolve a Pipfile itself.

Run \`pipenv lock\`, commit Pipfile.lock and build again.`),
  poetryWithoutLock: () =>
    new BuildError('pyproject.toml has Poetry dependencies but no poetry.lock',
      `The dependencies are declared in [tool.poetry.dependencies] only, and pyproject.toml has
no [build-system], so 'pip install .' would install none of them.

Run \`poetry lock\`, commit poetry.lock and build again.`),
  conda: (file: string) =>
    new BuildError('Conda environments are not supported',
      `The app has ${file}, a conda environment, and nothing pywarp can install from.
pywarp installs Python packages from PyPI-style indexes with pip.

${INSTALLER_HELP}
or a pyproject.toml/setup.py installed with 'pip install .'. Moving the pip part of
${file} into a requirements.txt is usually enough.`),
  unreadable: (file: string, detail: string) =>
    new BuildError(`Can't read ${file}`,
      `${file} is not valid: ${quoteFound(detail)}

Regenerate it with the tool that wrote it, commit it and build again.`),
  unsupportedVersion: (file: string, version: string, supported: string) =>
    new BuildError(`${file} has an unsupported format version`,
      `${file} says it is format version ${quoteFound(version)}; pywarp reads ${supported}.

Regenerate it with a current version of the tool, or tell us at https://github.com/pywarp/pywarp/issues.`),
  outOfDate: (file: string, command: string, detail: string) =>
    new BuildError(`${file} is out of date; run \`${command}\``,
      `${detail}

pywarp installs only what the lock says, so it stops here rather than install something
other than what the project declares. Run \`${command}\`, commit ${file} and build again.`),
  unsupportedSource: (file: string, pkg: string, what: string) =>
    new BuildError(`${file}: ${pkg} comes from ${what}`,
      `pywarp installs locked packages from package indexes, and the app's own directories.
${pkg} is locked from ${what}, which it can't install with hash checking.

Publish ${pkg} to an index (a private one works: the lock records it), or vendor its wheel
and lock that.`),
  pythonMismatch: (file: string, requires: string, python: string) =>
    new BuildError(`${file} does not allow Python ${python}`,
      `${file} was locked for Python ${quoteFound(requires)}, but the build uses Python ${python}.

Request a Python version the lock allows (.python-version), or widen requires-python and lock again.`),
  noHash: (file: string, pkg: string) =>
    new BuildError(`${file} records no hash for ${pkg}`,
      `pywarp installs lock files with hash checking, and ${file} has no sha256 for ${pkg}.

Lock again with the tool (it records hashes unless told not to) and build again.`),
  noWheel: (file: string, pkg: string, target: string, filenames: readonly string[]) =>
    new BuildError(`${pkg} has no file for ${target}`,
      `${file} locks ${pkg} with these files only:
${list(filenames.map(quoteFound))}
None of them installs on ${target}, and there is no source distribution to build.

Lock for this platform too (uv: tool.uv.required-environments; Poetry and Pipenv lock
every platform's files), or pick a version that ships a wheel for it.`),
  unsetVariable: (file: string, variable: string) =>
    new BuildError(`${file} uses \${${variable}}, which is not set`,
      `A package source in ${file} refers to \${${variable}}, but the build has no such variable.

Set it in the build's environment (pack build --env, or the platform's env directory).`),
  hashMismatch: (file: string, mismatches: readonly { requirement: string; algorithm: string; expected: readonly string[]; got: string }[]) =>
    new BuildError(
      mismatches.length === 1 ? `${mismatches[0]?.requirement} does not match the hash in ${file}` : `${mismatches.length} packages do not match the hashes in ${file}`,
      `${mismatches.map((m) => `${m.requirement}: ${file} allows ${m.algorithm} ${m.expected.join(' or ')}
  but the index served ${m.got}`).join('\n')}

Nothing was installed. Either the index serves a different file than the one locked (a
mirror that rebuilt it, or tampering), or the lock was edited by hand. Check the index,
or lock again and review the change.`),
  malformed: (file: string, detail: string) =>
    new BuildError(`${file} is inconsistent`,
      `${detail}

Regenerate ${file} with the tool that wrote it, commit it and build again.`),
};
