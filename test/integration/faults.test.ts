// The fault catalogue in one place: each bad input or broken dependency gives a titled
// error, a non-zero exit and no `<layer>.toml` a later build would reuse, and the next
// build after fixing the input succeeds. Several rows are tested in more depth in
// runtime.test.ts and dependencies.test.ts; here each gets one compact test. Faults of the
// local lifecycle itself (builds killed or stopped at each step, two builds at once, a cache
// that cannot be written) are in crash-safe.test.ts.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { jest } from '@jest/globals';
import { execa } from 'execa';
import { sha256, writeTarBomb, writeTarGz } from '../support/archives.js';
import { runBinBuild, writeApp } from '../support/apps.js';
import { startFixtureServer, type FixtureServer } from '../support/fixture-server.js';
import { ensureFixtures, type Fixtures } from '../support/fixtures.js';
import { freePort, waitForHttp } from '../support/http.js';
import { stop } from '../support/processes.js';
import { TestImage } from '../support/pywarp.js';
import { makeTempDir } from '../support/scrubbed-env.js';
import { fixtureCpython, makeTestBuildpack } from '../support/test-buildpack.js';

jest.setTimeout(180_000);

const TARBALL = '/dist/cpython-3.11-debian-bookworm-x86_64.tgz';
const WSGI = 'from flask import Flask\napplication = Flask(__name__)\n\n@application.route("/")\ndef hello():\n    return "hello"\n';
let fixtures: Fixtures;
let server: FixtureServer;
let work: string;
let bp: string;
let index: string;
/** bin/build's layers dir after a good build of a minimal app (Python 3.11.2, no requirements). */
let primed: string;

beforeAll(async () => {
  fixtures = await ensureFixtures();
  server = await startFixtureServer(fixtures.dir);
  index = `${server.url}/wheelhouse/simple/`;
  work = await makeTempDir('pywarp-faults-');
  const relabelled = gzipSync(gunzipSync(await readFile(fixtures.cpythonTarball)), { level: 1 });
  await writeFile(join(work, 'relabelled.tgz'), relabelled);
  const evil = join(work, 'evil.tgz');
  const bomb = join(work, 'bomb.tgz');
  bp = await makeTestBuildpack(join(work, 'bp'), [
    fixtureCpython(fixtures, server.url),
    // The same CPython recompressed (other bytes, another sha256) listed as another version:
    // a second table entry that really runs.
    { version: '3.11.99', uri: `file://${join(work, 'relabelled.tgz')}`, sha256: sha256(relabelled) },
    {
      version: '3.10.2',
      uri: `file://${evil}`,
      sha256: await writeTarGz(evil, [
        { name: 'bin/python3', content: 'x' },
        { name: '../escaped', content: 'x' },
      ]),
    },
    { version: '3.10.5', uri: `file://${bomb}`, sha256: await writeTarBomb(bomb, 8 * 1024 ** 3) },
  ]);
  const dir = join(work, 'primed');
  const app = await writeApp(join(dir, 'app'), { '.python-version': '3.11.2\n', 'app.py': '' });
  const result = await binBuild(dir, app);
  expect([result.exitCode, result.output]).toEqual([0, expect.any(String)]);
  primed = join(dir, 'layers');
});

afterAll(async () => {
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/**
 * bin/build into `<dir>/layers` with the platform env every build gets (pip kept off this machine's
 * config) plus `env`, and `bindings` (name → file → content) under `<platform>/bindings`.
 */
async function binBuild(dir: string, app: string, env: Record<string, string> = {}, bindings: Row['bindings'] = {}) {
  const platform = join(dir, 'platform');
  for (const sub of ['env', 'bindings']) await rm(join(platform, sub), { recursive: true, force: true });
  await mkdir(join(platform, 'env'), { recursive: true });
  for (const [k, v] of Object.entries({ PIP_CONFIG_FILE: '/dev/null', PIP_TRUSTED_HOST: '127.0.0.1', PIP_INDEX_URL: index, ...env }))
    await writeFile(join(platform, 'env', k), v);
  for (const [name, files] of Object.entries(bindings)) {
    await mkdir(join(platform, 'bindings', name), { recursive: true });
    for (const [file, text] of Object.entries(files)) await writeFile(join(platform, 'bindings', name, file), text);
  }
  return runBinBuild({ buildpack: bp, app, layers: join(dir, 'layers'), platform, home: join(dir, 'home') });
}

/** Launches `web`, expects a 200 from / and a clean exit on SIGTERM. */
async function expectServes(image: TestImage, app: string, env: Record<string, string> = {}): Promise<void> {
  const port = await freePort();
  const child = image.launch(app, { env: { PORT: String(port), PYWARP_HOST: '127.0.0.1', ...env } });
  let output = '';
  child.all?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  try {
    const answer = await waitForHttp(`http://127.0.0.1:${port}/`, 60_000, () => output);
    expect([answer.status, answer.body]).toEqual([200, 'hello']);
  } finally {
    expect((await stop(child)).exitCode).toBe(0);
  }
}

/**
 * Where the build fails: in analysis (before any layer is touched: the cached layers stay
 * as they were), or while filling the cpython or venv layer (that layer's directory and
 * `<layer>.toml` are gone, so nothing half-written can be reused), or in a command of the
 * app run after the layers (collectstatic).
 */
type Stage = 'analysis' | 'cpython' | 'venv' | 'app';

interface Row {
  name: string;
  stage: Stage;
  /** the app as it fails; `.python-version` 3.11.2 unless it says otherwise */
  files: Record<string, string>;
  title: string;
  /** platform env of the failing build only */
  env?: Record<string, string>;
  /** service bindings of the failing build only: name → file → content */
  bindings?: Record<string, Record<string, string>>;
  /** files of the failing app given as bytes (what a string cannot hold, e.g. Latin-1) */
  bytes?: Record<string, Buffer>;
  /** a fault injected into the fixture server for the failing build only */
  inject?: () => void;
  /** files overwritten to fix the input (faults and `env` are dropped anyway) */
  fix?: Record<string, string>;
  /** more to check in the failing build's output */
  also?: RegExp;
  /** a credential in the input, which must appear neither in the output nor in any layer */
  secret?: string;
}

const SECRET = 'Sntnl3Fk8Rq5Ym1';

/** A minimal Django project with static files, for collectstatic. */
const DJANGO: Record<string, string> = {
  'requirements.txt': 'Django==3.2.25\n',
  'manage.py':
    'import os, sys\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\nfrom django.core.management import execute_from_command_line\nexecute_from_command_line(sys.argv)\n',
  'mysite/__init__.py': '',
  'mysite/wsgi.py':
    'import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\napplication = get_wsgi_application()\n',
  'mysite/settings.py':
    'SECRET_KEY = "test"\nINSTALLED_APPS = ["django.contrib.staticfiles"]\nWSGI_APPLICATION = "mysite.wsgi.application"\nSTATIC_URL = "/static/"\n',
};

const rows: Row[] = [
  {
    name: 'malformed .python-version',
    stage: 'analysis',
    files: { '.python-version': 'three.eleven\n', 'app.py': '' },
    title: 'Invalid Python version in .python-version',
    fix: { '.python-version': '3.11.2\n' },
  },
  {
    name: 'unknown version',
    stage: 'analysis',
    files: { '.python-version': '3.9\n', 'app.py': '' },
    title: 'No Python version matches 3.9',
    fix: { '.python-version': '3.11.2\n' },
  },
  // Files that disagree are a warning (see the test below); a request nothing in the table meets is not.
  {
    name: 'the deciding version file matches nothing',
    stage: 'analysis',
    files: { '.python-version': '3.8.10\n', 'runtime.txt': 'python-3.11.2\n', 'app.py': '' },
    title: 'No Python version matches 3.8.10',
    also: /^\.python-version requests Python 3\.8\.10, but no version/m,
    fix: { '.python-version': '3.11.2\n' },
  },
  {
    name: 'checksum mismatch',
    stage: 'cpython',
    files: { 'app.py': '' },
    inject: () => server.fault(TARBALL, 'wrong-body'),
    title: 'Python 3.11.2 failed checksum verification',
  },
  // Every attempt ends 4 KiB into the body: retried with backoff, then given up.
  {
    name: 'truncated download',
    stage: 'cpython',
    files: { 'app.py': '' },
    inject: () => server.fault(TARBALL, 'drop-connection'),
    title: "Can't download Python 3.11.2",
    also: /after several tries: the connection ended after \d+ of \d+ bytes/,
  },
  // Flask pulls six wheels; the connection dies in the middle of Werkzeug's, every time.
  {
    name: 'index down in the middle of an install',
    stage: 'venv',
    files: { 'requirements.txt': 'flask\n', 'app.py': '' },
    inject: () => server.fault('/wheelhouse/Werkzeug-2.2.2-py3-none-any.whl', 'drop-connection'),
    title: "Can't reach the package index",
    also: /Werkzeug-2\.2\.2-py3-none-any\.whl arrived incomplete or damaged/,
  },
  {
    name: 'unknown package',
    stage: 'venv',
    files: { 'requirements.txt': 'itsdangerous\nno-such-package-here\n', 'app.py': '' },
    title: 'Package not found: no-such-package-here',
    fix: { 'requirements.txt': 'itsdangerous\n' },
  },
  {
    name: 'version conflict',
    stage: 'venv',
    files: { 'requirements.txt': 'itsdangerous==2.1.2\nitsdangerous<2\n', 'app.py': '' },
    title: 'The requirements conflict with each other',
    fix: { 'requirements.txt': 'itsdangerous==2.1.2\n' },
  },
  {
    name: 'malformed requirements line',
    stage: 'venv',
    files: { 'requirements.txt': 'itsdangerous\nthis is not valid!\n', 'app.py': '' },
    title: 'Invalid requirement: this is not valid!',
    also: /line 2 of requirements\.txt/,
    fix: { 'requirements.txt': 'itsdangerous\n' },
  },
  {
    name: 'archive entry escaping the layer',
    stage: 'cpython',
    files: { '.python-version': '3.10.2\n', 'app.py': '' },
    title: "Can't extract Python 3.10.2",
    also: /entry "\.\.\/escaped" contains "\.\."/,
    fix: { '.python-version': '3.11.2\n' },
  },
  {
    name: 'APP_HOME outside the app',
    stage: 'analysis',
    files: { '.s2i/environment': 'APP_HOME=../elsewhere\n', 'app.py': '' },
    title: 'APP_HOME points outside the app',
    fix: { '.s2i/environment': '# APP_HOME unset\n' },
  },
  {
    name: 'wsgi.py without the callable',
    stage: 'analysis',
    files: { 'wsgi.py': 'app = None\n' },
    title: 'wsgi has no WSGI callable named application',
    fix: { 'wsgi.py': 'def application(environ, start_response):\n    start_response("200 OK", [])\n    return [b""]\n' },
  },
  {
    name: 'a redirect to file:///etc/hostname',
    stage: 'cpython',
    files: { 'app.py': '' },
    inject: () => server.fault(TARBALL, 'redirect-to-file'),
    title: 'The download of Python 3.11.2 was stopped',
    also: /because the server redirected to a file: URL, and downloads follow redirects only to http:\/\/ and https:\/\/\./,
  },
  {
    name: 'a redirect loop',
    stage: 'cpython',
    files: { 'app.py': '' },
    inject: () => server.fault(TARBALL, 'redirect-loop'),
    title: 'The download of Python 3.11.2 was stopped',
    also: /because the server redirected more than 10 times, the limit\./,
  },
  {
    name: 'a gzip bomb with a valid checksum',
    stage: 'cpython',
    files: { '.python-version': '3.10.5\n', 'app.py': '' },
    title: "Can't extract Python 3.10.5",
    also: /passed its checksum but could not be extracted: it expands to more than 2 GiB, the most pywarp extracts\./,
    fix: { '.python-version': '3.11.2\n' },
  },
  {
    name: 'Django settings that hang at import',
    stage: 'app',
    files: {
      ...DJANGO,
      'mysite/settings.py': `import time\nprint("waiting for the database", flush=True)\ntime.sleep(1000)\n${DJANGO['mysite/settings.py']}`,
    },
    env: { BP_APP_COMMAND_TIMEOUT: '5' },
    title: "Reading Django's static file settings did not finish within 5 s",
    also: /^Its last lines:\n {2}waiting for the database\n/m,
    fix: DJANGO,
  },
  // Port 9 (discard): nothing listens, so the index is down; pip's retry warnings name the path with its query string.
  {
    name: 'an index down, its URL holding a token',
    stage: 'venv',
    files: { 'requirements.txt': 'itsdangerous\n', 'app.py': '' },
    env: { PIP_INDEX_URL: `http://user:${SECRET}@127.0.0.1:9/simple/?token=${SECRET}` },
    title: "Can't reach the package index",
    also: /^ {2}Looking in indexes: http:\/\/\*\*\*@127\.0\.0\.1:9\/simple\/\?\*\*\*\n[\s\S]*: \/simple\/\?\*\*\*\n/m,
    secret: SECRET,
  },
  // pip quotes the line with the variable expanded: the token is redacted from the title too.
  {
    name: 'an invalid requirement line expanding a token',
    stage: 'venv',
    files: { 'requirements.txt': 'itsdangerous\nflask @ http://user:${PYPI_TOKEN}@127.0.0.1:9/f.whl junk!\n', 'app.py': '' },
    env: { PYPI_TOKEN: SECRET },
    title: 'Invalid requirement: flask @ http://***@127.0.0.1:9/f.whl junk!',
    also: /line 2 of requirements\.txt/,
    fix: { 'requirements.txt': 'itsdangerous\n' },
    secret: SECRET,
  },
  {
    name: 'a mirror holding a token, without the file',
    stage: 'cpython',
    files: { 'app.py': '' },
    // a getter: the server's URL is known only once it runs
    get env() {
      return { BP_DEPENDENCY_MIRROR: `http://mirror:${SECRET}@${server.url.replace('http://', '')}/no-mirror-here` };
    },
    title: "Can't download Python 3.11.2",
    also: /^ {2}http:\/\/\*\*\*@127\.0\.0\.1:\d+\/no-mirror-here\/dist\/cpython-3\.11-debian-bookworm-x86_64\.tgz$/m,
    secret: SECRET,
  },
  {
    name: 'a mirror that is not http(s), holding a token',
    stage: 'cpython',
    files: { 'app.py': '' },
    env: { BP_DEPENDENCY_MIRROR: `ftp://mirror:${SECRET}@127.0.0.1/?token=${SECRET}` },
    title: 'Invalid BP_DEPENDENCY_MIRROR',
    also: /^ {2}ftp:\/\/\*\*\*@127\.0\.0\.1\/\?\*\*\*$/m,
    secret: SECRET,
  },
  {
    name: 'a warpdrive build hook that hangs',
    stage: 'app',
    files: { '.warpdrive/action_hooks/build+x': '#!/bin/sh\necho "waiting for the database"\nsleep 1000\n', 'app.py': '' },
    env: { BP_APP_COMMAND_TIMEOUT: '5' },
    title: 'The hook .warpdrive/action_hooks/build did not finish within 5 s',
    also: /^Its last lines:\n {2}waiting for the database\n/m,
    fix: { '.warpdrive/action_hooks/build': '#!/bin/sh\necho built\n' },
  },
  {
    name: 'a Procfile process type "."',
    stage: 'analysis',
    files: { Procfile: 'web: python app.py\n.: python app.py\n', 'app.py': '' },
    title: 'The Procfile has lines pywarp cannot use',
    also: /^ {2}line 2: \.: python app\.py\n {4}has "\." or "\.\." as its process type, which cannot name a process: rename it\.$/m,
    fix: { Procfile: 'web: python app.py\n' },
  },
  {
    name: 'a Procfile process type ".."',
    stage: 'analysis',
    files: { Procfile: '..: python app.py\n', 'app.py': '' },
    title: 'The Procfile has lines pywarp cannot use',
    also: /^ {2}line 1: \.\.: python app\.py\n/m,
    fix: { Procfile: 'web: python app.py\n' },
  },
  {
    name: 'a NUL in a Procfile command',
    stage: 'analysis',
    files: { Procfile: 'web: python app.py\0 --x\n', 'app.py': '' },
    title: 'The Procfile has lines pywarp cannot use',
    also: /^ {2}line 1: web: python app\.py\uFFFD --x\n {4}has a NUL character in its command/m,
    fix: { Procfile: 'web: python app.py\n' },
  },
  {
    name: 'a Latin-1 byte in the Procfile',
    stage: 'analysis',
    files: { 'app.py': '' },
    bytes: { Procfile: Buffer.from('web: python app.py\nworker: echo caf\xe9\n', 'latin1') },
    title: 'The Procfile has lines pywarp cannot use',
    also: /^ {2}line 2: worker: echo caf\uFFFD\n {4}is not UTF-8 \(Latin-1 or another legacy encoding\?\): save the Procfile as UTF-8\.$/m,
    fix: { Procfile: 'web: python app.py\nworker: echo café\n' },
  },
  {
    name: 'web defined twice in the Procfile',
    stage: 'analysis',
    files: { Procfile: 'web: python app.py\n# the new one\nweb: gunicorn app:app\n', 'app.py': '' },
    title: 'The Procfile has lines pywarp cannot use',
    also: /^ {2}line 3: web: gunicorn app:app\n {4}defines web again \(line 1 already does\): keep one line per process type\.$/m,
    fix: { Procfile: 'web: python app.py\n' },
  },
  // 200,000 lines in 400 kB (under the 1 MiB a requirements file may have)
  {
    name: 'a 200,000-line requirements file',
    stage: 'analysis',
    files: { 'requirements.txt': 'a\n'.repeat(200_000), 'app.py': '' },
    title: 'The requirements have 200,000 lines, more than pywarp installs',
    fix: { 'requirements.txt': 'itsdangerous\n' },
  },
  {
    name: 'requirements includes nested 60 levels deep',
    stage: 'analysis',
    files: {
      ...Object.fromEntries(Array.from({ length: 60 }, (_, i) => [i ? `r${i}.txt` : 'requirements.txt', `-r r${i + 1}.txt\n`])),
      'r60.txt': 'itsdangerous\n',
      'app.py': '',
    },
    title: 'Requirements files include each other more than 50 levels deep',
    also: /pywarp still had to read:\n {2}r51\.txt\n/,
    fix: { 'requirements.txt': 'itsdangerous\n' },
  },
  {
    name: 'a pip binding with a malformed index-url',
    stage: 'analysis',
    files: { 'requirements.txt': 'itsdangerous\n', 'app.py': '' },
    bindings: { 'private-index': { type: 'pip', 'index-url': `http://builder:${SECRET}@[127.0.0.1/simple/`, password: SECRET } },
    secret: SECRET,
    title: 'Invalid index-url in the pip binding private-index',
    also: /^ {2}http:\/\/\*\*\*@\[127\.0\.0\.1\/simple\/\nwhich is not an http:\/\/ or https:\/\/ URL\.$/m,
  },
  // pip's socket timeout (15 s without a byte) never fires on a byte a second: the overall limit does
  {
    name: 'an index page that drips a byte a second',
    stage: 'venv',
    files: { 'requirements.txt': 'itsdangerous\n', 'app.py': '' },
    // long enough for pip to start on a busy machine and ask for the page
    env: { BP_PIP_INSTALL_TIMEOUT: '20' },
    inject: () => server.fault('/wheelhouse/simple/itsdangerous/', 'drip'),
    title: "'pip install --no-input --progress-bar off -r requirements.txt' did not finish within 20 s",
    also: /^Its last lines:\n {2}Looking in indexes: http:\/\/127\.0\.0\.1:\d+\/wheelhouse\/simple\/\n\nAn index or a download/m,
  },
  {
    name: 'Django settings that take stdout away from the answer',
    stage: 'app',
    files: {
      ...DJANGO,
      'mysite/settings.py': `import os, sys\nprint("settings loaded")\nsys.stdout = open(os.devnull, "w")\n${DJANGO['mysite/settings.py']}`,
    },
    title: "Can't read Django's static file settings",
    also: /^ {2}settings loaded$/m,
    fix: DJANGO,
  },
  {
    name: 'hostile environment: PIP_TARGET set',
    stage: 'analysis',
    files: { 'app.py': '' },
    env: { PIP_TARGET: '/tmp/x' },
    title: 'Unsupported environment variables are set',
    also: /^ {2}PIP_TARGET$/m,
  },
];

describe('a titled error, a non-zero exit, no reusable half-written layer; then the fixed input builds', () => {
  test.each(rows.map((r) => [r.name, r] as const))('%s', async (_name, row) => {
    const dir = join(work, row.name.replace(/\W+/g, '-'));
    const app = await writeApp(join(dir, 'app'), { '.python-version': '3.11.2\n', ...row.files });
    for (const [name, bytes] of Object.entries(row.bytes ?? {})) await writeFile(join(app, name), bytes);
    const layers = join(dir, 'layers');
    // Rows failing before or in pip start from the primed layers, as a rebuild would: the fixed
    // build must keep the cached Python. (The copied venv still links to primed's cpython,
    // which outlives every row.)
    const cached = row.stage !== 'cpython';
    if (cached) await execa('cp', ['-a', primed, layers]);
    const metadata = () => Promise.all(['cpython.toml', 'venv.toml'].map((f) => readFile(join(layers, f), 'utf8')));
    const before = row.stage === 'analysis' ? await metadata() : undefined;

    row.inject?.();
    let failed;
    try {
      failed = await binBuild(dir, app, row.env, row.bindings);
    } finally {
      server.clearFaults();
    }
    expect(failed.output).toContain(`[Error: ${row.title}]\n`);
    if (row.also) expect(failed.output).toMatch(row.also);
    if (row.secret) {
      expect(failed.output).not.toContain(row.secret);
      expect((await execa('grep', ['-r', '-l', '-a', '-F', row.secret, layers], { reject: false })).stdout).toBe('');
    }
    expect(failed.exitCode).not.toBe(0);
    if (row.stage === 'analysis') expect(failed.output).not.toContain('[Installing Python]');
    const failedLayer = row.stage === 'cpython' || row.stage === 'venv' ? row.stage : undefined;
    if (failedLayer)
      expect([existsSync(join(layers, `${failedLayer}.toml`)), existsSync(join(layers, failedLayer))]).toEqual([false, false]);
    if (before) expect(await metadata()).toEqual(before);
    if (row.name === 'archive entry escaping the layer') expect(existsSync(join(layers, 'escaped'))).toBe(false);

    await writeApp(app, row.fix ?? {});
    const fixed = await binBuild(dir, app);
    expect([fixed.exitCode, fixed.output]).toEqual([0, expect.any(String)]);
    if (cached) expect(fixed.output).toContain('Using cached Python 3.11.2.');
    for (const layer of ['cpython', 'venv']) expect(existsSync(join(layers, `${layer}.toml`))).toBe(true);
  });

  test('Django settings that print at import and at exit (atexit): the build still reads their answer', async () => {
    const dir = join(work, 'django-atexit');
    const settings = `import atexit\nprint("settings loaded", end="")\natexit.register(lambda: print('{"staticfiles": false}'))\n`;
    const app = await writeApp(join(dir, 'app'), {
      '.python-version': '3.11.2\n',
      ...DJANGO,
      'mysite/settings.py': `${settings}${DJANGO['mysite/settings.py']}`,
    });
    await execa('cp', ['-a', primed, join(dir, 'layers')]);
    const result = await binBuild(dir, app);
    expect([result.exitCode, result.output]).toEqual([0, expect.stringContaining("Running 'python manage.py collectstatic --noinput'")]);
  });

  test('conflicting version files that both exist in the table: a warning naming both, the first decides', async () => {
    const dir = join(work, 'conflict-warning');
    const app = await writeApp(join(dir, 'app'), { '.python-version': '3.11.2\n', 'runtime.txt': 'python-3.11.99\n', 'app.py': '' });
    const result = await binBuild(dir, app);
    expect(result.output).toContain(
      '[Warning: Python version requests disagree]\n.python-version requests Python 3.11.2 (3.11.2) but runtime.txt requests 3.11.99 (3.11.99).',
    );
    expect(result.output).toContain('No version satisfies both; .python-version comes first, so pywarp uses 3.11.2.');
    expect(result.output).toContain('Using Python 3.11.2 for amd64.');
    expect(result.exitCode).toBe(0);
  });
});

describe('a Flask + gunicorn image', () => {
  let image: TestImage;
  let app: string;

  beforeAll(async () => {
    image = new TestImage(join(work, 'flask'), bp);
    app = await writeApp(join(work, 'flask', 'app'), {
      '.python-version': '3.11.2\n',
      'requirements.txt': 'flask\ngunicorn\n',
      'wsgi.py': WSGI,
    });
  });

  test('hostile environment: PATH=/invalid and PYTHONPATH=/invalid break neither the build nor the app', async () => {
    const build = await image.build(app, { PIP_INDEX_URL: index, PATH: '/invalid', PYTHONPATH: '/invalid' });
    expect([build.exitCode, build.output]).toEqual([0, expect.stringContaining("Running 'pip install")]);
    await expectServes(image, app, { PYTHONPATH: '/invalid' });
  });

  test('a cache made by a different Python is discarded, with the reason, and the venv rebuilt', async () => {
    await writeFile(join(app, '.python-version'), '3.11.99\n');
    const build = await image.build(app, { PIP_INDEX_URL: index });
    expect(build.output).toContain('Rebuilding Python 3.11.2 because:\n  - the requested version is now 3.11.99\n');
    expect(build.output).toContain('Rebuilding the virtual environment because:\n  - Python changed from 3.11.2 to 3.11.99');
    expect(build.exitCode).toBe(0);
    await expectServes(image, app);
  });

  test('venv metadata of the wrong type in the cache is not trusted: the venv is rebuilt', async () => {
    await writeFile(join(image.cache, 'pywarp_python', 'venv.toml'), '[metadata]\npython = 3\n');
    const build = await image.build(app, { PIP_INDEX_URL: index });
    expect(build.output).toContain('Using cached Python 3.11.99.');
    expect(build.output).not.toContain('Using the cached virtual environment');
    expect(build.output).toContain("Running 'pip install");
    expect(build.exitCode).toBe(0);
    await expectServes(image, app);
  });
});

test('a build killed with SIGKILL in the middle of pip, then a normal build', async () => {
  const dir = join(work, 'killed');
  const app = await writeApp(join(dir, 'app'), { '.python-version': '3.11.2\n', 'requirements.txt': 'flask\ngunicorn\n', 'wsgi.py': WSGI });
  const image = new TestImage(dir, bp);
  // Streamed and in its own process group, so it can be killed whole (pip included).
  const env = { PIP_INDEX_URL: index };
  const child = image.startBuild(app, env);
  let output = '';
  child.all?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  try {
    // pip is at work once it names what it collects
    const deadline = Date.now() + 120_000;
    while (!/Running 'pip install[^\n]*\n[\s\S]*Collecting /.test(output) && child.exitCode === null && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
  } finally {
    // the whole group: pywarp build, bin/build and pip
    if (child.exitCode === null) process.kill(-(child.pid as number), 'SIGKILL');
  }
  expect((await child).signal).toBe('SIGKILL');
  expect(output).toMatch(/Running 'pip install[^\n]*\n[\s\S]*Collecting /);
  expect(output).not.toContain('Completed in');
  // the killed build left a half-filled venv dir, but not the metadata that would mark it done
  const venv = join(image.layers, 'pywarp_python', 'venv');
  expect([existsSync(venv), existsSync(`${venv}.toml`)]).toEqual([true, false]);

  const build = await image.build(app, env);
  expect(build.output).not.toContain('Using the cached virtual environment');
  expect(build.output).toContain("Running 'pip install");
  expect(build.exitCode).toBe(0);
  await expectServes(image, app);
});
