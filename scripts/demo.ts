// `npm run demo [sample]`: the warpdrive tutorial done with pywarp on a machine with no
// internet. CPython and the wheels come from the test fixtures (built from Debian's
// archive, or the prebuilt set), served on 127.0.0.1; then: build, run, switch server, stop.
import { cp, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { startFixtureServer } from '../test/support/fixture-server.js';
import { ensureFixtures, repoRoot } from '../test/support/fixtures.js';
import { freePort, waitForHttp } from '../test/support/http.js';
import { stop } from '../test/support/processes.js';
import { TestImage } from '../test/support/pywarp.js';
import { fixtureCpython, makeTestBuildpack } from '../test/support/test-buildpack.js';

const sample = process.argv[2] ?? 'warpdrive-flask';
const root = join(repoRoot(), '.cache', 'demo', sample);

async function serve(image: TestImage, app: string, title: string, env: Record<string, string>): Promise<void> {
  const port = await freePort();
  console.log(`\n== ${title}: pywarp launch ${sample} (PORT=${port}${Object.entries(env).map(([k, v]) => ` ${k}=${v}`).join('')})`);
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

async function main(): Promise<number> {
  const fixtures = await ensureFixtures();
  console.log(`fixtures: ${fixtures.source} (${fixtures.dir})`);
  const server = await startFixtureServer(fixtures.dir);
  try {
    await rm(root, { recursive: true, force: true });
    await mkdir(root, { recursive: true });
    const bp = await makeTestBuildpack(join(root, 'buildpack'), [fixtureCpython(fixtures, server.url)]);
    const app = join(root, 'app');
    await cp(join(repoRoot(), 'samples', sample), app, { recursive: true });
    const image = new TestImage(root, bp);
    console.log(`== pywarp build ${sample}`);
    const build = await execa(process.execPath, [join(repoRoot(), 'dist', 'pywarp.js'), 'build', app, '--buildpack', bp, '--layers', image.layers, '--cache', image.cache, '--platform', image.platform,
      '-e', 'PIP_CONFIG_FILE=/dev/null', '-e', 'PIP_TRUSTED_HOST=127.0.0.1', '-e', `PIP_INDEX_URL=${server.url}/wheelhouse/simple/`], { stdio: 'inherit', reject: false, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root' }, extendEnv: false });
    if (build.exitCode !== 0) return build.exitCode ?? 1;
    await serve(image, app, 'run the default process, web', {});
    if (sample === 'warpdrive-flask') await serve(image, app, 'switch server at run time, no rebuild', { WARPDRIVE_SERVER_TYPE: 'gunicorn' });
    return 0;
  } finally {
    await server.close();
  }
}

process.exitCode = await main();
