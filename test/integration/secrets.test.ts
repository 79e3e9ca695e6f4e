// "Secrets never leave the build": one sentinel token in every place a user may put a
// credential (index URLs with each form of userinfo and query strings, an extra index,
// find-links, a dependency mirror, a dependency-mapping binding, a `pip` binding), then
// real builds and launches against the fixture server, and a search of everything the
// image, the cache and the logs carry. Only the platform dir (the user's own input) and the
// build's HOME (the builder's, exported nowhere) may hold it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { execa } from 'execa';
import { writeApp } from '../support/apps.js';
import { useFixtureBuildpack } from '../support/fixture-buildpack.js';
import { freePort, get, waitForHttp } from '../support/http.js';
import { stop } from '../support/processes.js';
import { TestImage } from '../support/pywarp.js';

jest.setTimeout(300_000);

const SENTINEL = 'Sntnl7Qx4Zk9Wv2';
const setup = useFixtureBuildpack('pywarp-secrets-');

const APP = {
  '.python-version': '3.11.2\n',
  'requirements.txt': 'flask\ngunicorn\n',
  // The app answers with its whole environment, as it sees it at run time.
  'wsgi.py':
    'import os\nfrom flask import Flask\napplication = Flask(__name__)\n\n@application.route("/")\ndef env():\n    return "\\n".join(f"{k}={v}" for k, v in sorted(os.environ.items()))\n',
};

/** The sentinel, and what an Authorization header would carry of it (base64 of `user:pass`). */
function needles(): string[] {
  const sent = setup.server.received.map((r) => r.authorization.replace(/^Basic /, '')).filter(Boolean);
  return [SENTINEL, ...new Set(sent)];
}

/** Files under `dirs` (symlinks not followed) holding any needle; grep exits 1 when none does. */
async function filesWithSecrets(dirs: readonly string[]): Promise<string[]> {
  const args = ['-r', '-l', '-a', '-F', ...needles().flatMap((n) => ['-e', n]), ...dirs];
  const result = await execa('grep', args, { reject: false });
  expect([result.exitCode, result.stderr]).toEqual([expect.any(Number), '']);
  return result.stdout.split('\n').filter(Boolean);
}

/** `pid` and every process below it, from /proc. */
function processTree(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(parents.get(tree[i] as number) ?? []));
  return tree;
}

/** Launches `web`; returns its output, the environment of every process it started, and what the app says its environment is. */
async function launch(image: TestImage, app: string): Promise<{ output: string; environs: string; appEnv: string }> {
  const port = await freePort();
  const child = image.launch(app, { env: { PORT: String(port), PYWARP_HOST: '127.0.0.1' } });
  let output = '';
  child.all?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  let environs = '';
  let appEnv = '';
  try {
    await waitForHttp(`http://127.0.0.1:${port}/`, 60_000, () => output);
    appEnv = (await get(`http://127.0.0.1:${port}/`)).body;
    for (const pid of processTree(child.pid as number)) {
      try {
        environs += readFileSync(`/proc/${pid}/environ`, 'latin1');
      } catch {
        // a process that ended in between has no environment left to leak
      }
    }
  } finally {
    const stopped = await stop(child);
    expect([stopped.exitCode, stopped.output]).toEqual([0, expect.any(String)]);
    output = stopped.output;
  }
  expect(appEnv).toContain('VIRTUAL_ENV=');
  expect(environs).toContain('VIRTUAL_ENV=');
  return { output, environs, appEnv };
}

/** A binding in the platform dir, as the platform projects it. */
async function bind(image: TestImage, name: string, entries: Record<string, string>): Promise<void> {
  const dir = join(image.platform, 'bindings', name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  for (const [file, text] of Object.entries(entries)) await writeFile(join(dir, file), text);
}

/** Everything a build leaves that an image, a cache or a log carries: the platform dir and HOME excepted. */
async function expectNoSecret(image: TestImage, app: string, outputs: readonly string[]): Promise<void> {
  for (const output of outputs) for (const needle of needles()) expect(output).not.toContain(needle);
  // what becomes the image's labels and SBOM is among what is searched
  for (const file of [
    'config/metadata.toml',
    'pywarp_python/venv.toml',
    'pywarp_python/venv.sbom.cdx.json',
    'pywarp_python/cpython.sbom.cdx.json',
  ])
    expect(existsSync(join(image.layers, file))).toBe(true);
  expect(await filesWithSecrets([image.layers, image.cache, app])).toEqual([]);
  // the search itself finds what it looks for: the user's own input holds the sentinel
  expect((await filesWithSecrets([image.platform])).length).toBeGreaterThan(0);
}

test('index URLs (user:pass, :token, token@, ?token=), find-links and BP_DEPENDENCY_MIRROR; then a pip binding on a rebuild', async () => {
  const host = setup.server.url.replace('http://', '');
  const app = await writeApp(join(setup.work, 'env', 'app'), APP);
  const image = new TestImage(join(setup.work, 'env'), setup.bp);
  const first = await image.build(app, {
    PIP_INDEX_URL: `http://user:${SENTINEL}@${host}/wheelhouse/simple/?token=${SENTINEL}`,
    PIP_EXTRA_INDEX_URL: `http://:${SENTINEL}@${host}/wheelhouse/simple/`,
    PIP_FIND_LINKS: `http://${SENTINEL}@${host}/wheelhouse/simple/flask/?sig=${SENTINEL}`,
    BP_DEPENDENCY_MIRROR: `http://mirror:${SENTINEL}@${host}`,
  });
  expect([first.exitCode, first.output]).toEqual([0, expect.stringContaining('(set by BP_DEPENDENCY_MIRROR)')]);
  // The credentials were really used: the mirror's download and pip's requests carried them.
  const tarball = setup.server.received.find((r) => r.path.endsWith('.tgz'));
  expect(Buffer.from(tarball?.authorization.replace(/^Basic /, '') ?? '', 'base64').toString()).toBe(`mirror:${SENTINEL}`);
  expect(setup.server.received.some((r) => r.query.includes(SENTINEL))).toBe(true);
  expect(
    setup.server.received.some((r) =>
      Buffer.from(r.authorization.replace(/^Basic /, ''), 'base64')
        .toString()
        .includes(SENTINEL),
    ),
  ).toBe(true);
  const launched = await launch(image, app);
  await expectNoSecret(image, app, [first.output, launched.output, launched.environs, launched.appEnv]);

  // The same cache, the credentials now from a `pip` binding: the venv is rebuilt, saying why without them.
  await bind(image, 'private-index', {
    type: 'pip',
    'index-url': `http://${host}/wheelhouse/simple/`,
    username: 'bound',
    password: SENTINEL,
    // pip appends the project to an index URL's query (…/?token=X/flask/): such an index serves no projects, but its URL is shown
    'extra-index-url': `http://${host}/wheelhouse/simple/?token=${SENTINEL}`,
  });
  const second = await image.build(app, {});
  expect([second.exitCode, second.output]).toEqual([0, expect.any(String)]);
  expect(second.output).toContain('Rebuilding the virtual environment because:');
  const relaunched = await launch(image, app);
  await expectNoSecret(image, app, [second.output, relaunched.output, relaunched.environs, relaunched.appEnv]);
  // The options hash is keyed with the cache's salt, which the cache keeps: the same settings reuse the venv.
  const third = await image.build(app, {});
  expect([third.exitCode, third.output]).toEqual([0, expect.stringContaining('Using the cached virtual environment')]);
});

test('a dependency-mapping binding and a pip binding with a pip.conf, and a requirements file expanding a token', async () => {
  const host = setup.server.url.replace('http://', '');
  const app = await writeApp(join(setup.work, 'bindings', 'app'), {
    ...APP,
    'requirements.txt': `--extra-index-url http://token:\${INDEX_TOKEN}@${host}/wheelhouse/simple/\nflask\ngunicorn\n`,
  });
  const image = new TestImage(join(setup.work, 'bindings'), setup.bp);
  await bind(image, 'mapping', {
    type: 'dependency-mapping',
    [setup.fixtures.cpythonSha256]: `http://map:${SENTINEL}@${host}/dist/cpython-3.11-debian-bookworm-x86_64.tgz?token=${SENTINEL}`,
  });
  await bind(image, 'pip', {
    type: 'pip',
    'pip.conf': `[global]\nindex-url = http://:${SENTINEL}@${host}/wheelhouse/simple/\ntrusted-host = 127.0.0.1\n`,
  });
  const before = setup.server.received.length;
  const build = await image.build(app, { INDEX_TOKEN: SENTINEL });
  expect([build.exitCode, build.output]).toEqual([0, expect.stringContaining('(set by the dependency-mapping binding "mapping")')]);
  const seen = setup.server.received.slice(before);
  expect(seen.find((r) => r.path.endsWith('.tgz'))?.query).toBe(`?token=${SENTINEL}`);
  expect(
    seen.filter((r) =>
      Buffer.from(r.authorization.replace(/^Basic /, ''), 'base64')
        .toString()
        .includes(SENTINEL),
    ).length,
  ).toBeGreaterThan(0);
  const launched = await launch(image, app);
  await expectNoSecret(image, app, [build.output, launched.output, launched.environs, launched.appEnv]);
});
