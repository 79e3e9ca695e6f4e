// `npm run demo [sample]`: the warpdrive tutorial done with pywarp on a machine with no
// internet. CPython and the wheels come from the test fixtures (built from Debian's
// archive, or the prebuilt set), served on 127.0.0.1; then: build, run, switch server, stop.
import { readdirSync } from 'node:fs';
import { cp, mkdir, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import { startFixtureServer } from '../test/support/fixture-server.js';
import { ensureFixtures, fixturesCache, repoRoot } from '../test/support/fixtures.js';
import { freePort, waitForHttp } from '../test/support/http.js';
import { stop } from '../test/support/processes.js';
import { TestImage } from '../test/support/pywarp.js';
import { fixtureCpython, makeTestBuildpack } from '../test/support/test-buildpack.js';

const samples = readdirSync(join(repoRoot(), 'samples'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
const sample = process.argv[2] ?? 'warpdrive-flask';
const root = join(repoRoot(), '.cache', 'demo', sample);
/** A path as the user sees it from the repository root. */
const shown = (path: string) => relative(repoRoot(), path) || '.';

async function serve(image: TestImage, app: string, title: string, env: Record<string, string>): Promise<void> {
  const port = await freePort();
  console.log(
    `\n== ${title}: pywarp launch ${sample} (PORT=${port}${Object.entries(env)
      .map(([k, v]) => ` ${k}=${v}`)
      .join('')})`,
  );
  const child = image.launch(app, { env: { PORT: String(port), PYWARP_HOST: '127.0.0.1', ...env } });
  child.all?.pipe(process.stdout);
  try {
    const answer = await waitForHttp(`http://127.0.0.1:${port}/`, 60_000, () => '');
    console.log(`== GET / -> ${answer.status}, Server: ${answer.server ?? '(none)'}, body: ${answer.body.trim()}`);
  } finally {
    const stopped = await stop(child);
    console.log(`== stopped with SIGTERM, exit status ${stopped.exitCode}`);
  }
}

/** The fixtures, announcing a first run's Debian work; a failure says what to look at inside the repository only. */
async function fixtures() {
  const cache = fixturesCache();
  if (!cache.built) {
    console.log(`First run: the demo has no internet for python.org or PyPI, so it builds a CPython 3.11 and the
wheels of the samples (Flask, gunicorn, mod_wsgi, uWSGI, waitress, Django) from Debian 12 packages.
That installs the Debian packages it lacks with apt-get (gcc and headers to compile uWSGI and
mod_wsgi, Apache httpd for mod_wsgi-express, the libraries CPython links against), so it needs
root. About a minute; the result is kept in ${shown(cache.dir)}/ for the next runs.
`);
  }
  try {
    return await ensureFixtures();
  } catch {
    throw new Error(`Could not build the demo's CPython and wheels from Debian packages.
The build log is ${shown(cache.log)}. The build needs root (apt-get) on Debian 12 with
Debian's archive reachable; fix what the log's last lines name, then run the demo again.`);
  }
}

async function main(): Promise<number> {
  if (!samples.includes(sample)) {
    console.error(
      `No sample named "${sample}". The samples (in samples/) are:\n${samples.map((s) => `  ${s}`).join('\n')}\nRun one with: npm run demo -- <sample>`,
    );
    return 2;
  }
  const found = await fixtures();
  console.log(`fixtures: ${found.source} (${shown(found.dir)})`);
  const server = await startFixtureServer(found.dir);
  try {
    await rm(root, { recursive: true, force: true });
    await mkdir(root, { recursive: true });
    const bp = await makeTestBuildpack(join(root, 'buildpack'), [fixtureCpython(found, server.url)]);
    const app = join(root, 'app');
    await cp(join(repoRoot(), 'samples', sample), app, { recursive: true });
    const image = new TestImage(root, bp);
    console.log(`== pywarp build ${sample}`);
    const build = await execa(process.execPath, image.buildArgs(app, { PIP_INDEX_URL: `${server.url}/wheelhouse/simple/` }), {
      stdio: 'inherit',
      reject: false,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root' },
      extendEnv: false,
    });
    if (build.exitCode !== 0) return build.exitCode ?? 1;
    await serve(image, app, 'run the default process, web', {});
    if (sample === 'warpdrive-flask')
      await serve(image, app, 'switch server at run time, no rebuild', { WARPDRIVE_SERVER_TYPE: 'gunicorn' });
    return 0;
  } finally {
    await server.close();
  }
}

process.exitCode = await main().catch((err: Error) => {
  console.error(`demo failed: ${err.message.replaceAll(`${repoRoot()}/`, '')}`);
  return 1;
});
