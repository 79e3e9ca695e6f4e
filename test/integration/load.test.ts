// The servers pywarp starts, under load on 127.0.0.1: saturated for 30 s with wrk, then
// stopped with SIGTERM while requests keep arriving, below capacity and overloaded.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { jest } from '@jest/globals';
import { execa } from 'execa';
import { writeApp } from '../support/apps.js';
import { startFixtureServer, type FixtureServer } from '../support/fixture-server.js';
import { ensureFixtures } from '../support/fixtures.js';
import { freePort, waitForHttp } from '../support/http.js';
import { closedLoop, tally } from '../support/load.js';
import { stop } from '../support/processes.js';
import { TestImage } from '../support/pywarp.js';
import { makeTempDir } from '../support/scrubbed-env.js';
import { fixtureCpython, makeTestBuildpack } from '../support/test-buildpack.js';

jest.setTimeout(300_000);

let server: FixtureServer;
let work: string;
let image: TestImage;
let app: string;

beforeAll(async () => {
  // CI runs as root on Debian; a developer machine may already have it
  if ((await execa('sh', ['-c', 'command -v wrk'], { reject: false })).exitCode !== 0) {
    await execa('apt-get', ['install', '-y', '--no-install-recommends', 'wrk'], {
      env: { DEBIAN_FRONTEND: 'noninteractive' },
      timeout: 300_000,
    });
  }
  const fixtures = await ensureFixtures();
  server = await startFixtureServer(fixtures.dir);
  work = await makeTempDir('pywarp-load-');
  const bp = await makeTestBuildpack(join(work, 'bp'), [fixtureCpython(fixtures, server.url)]);
  app = await writeApp(join(work, 'app'), {
    'requirements.txt': 'flask\ngunicorn\nwaitress\nuWSGI\nmod_wsgi\n',
    'wsgi.py': [
      'import time',
      'from flask import Flask',
      'application = Flask(__name__)',
      '',
      '@application.route("/")',
      'def hello():',
      '    return "hello"',
      '',
      '@application.route("/slow")',
      'def slow():',
      '    time.sleep(0.3)',
      '    return "slow"',
      '',
    ].join('\n'),
  });
  image = new TestImage(join(work, 'image'), bp);
  const build = await image.build(app, { PIP_INDEX_URL: `${server.url}/wheelhouse/simple/`, BP_PYTHON_SERVER: 'gunicorn' });
  expect([build.exitCode, build.output]).toEqual([
    0,
    expect.stringContaining('Process types: web (default), mod_wsgi, gunicorn, uwsgi, waitress'),
  ]);
});

afterAll(async () => {
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** Starts a process type (default web) on a free port and waits until it answers /. */
async function launch(processType: string | undefined, serverHeader: RegExp | null) {
  const port = await freePort();
  // WEB_CONCURRENCY: the same capacity on any machine, so that 40 clients overload every server
  const env = { PORT: String(port), PYWARP_HOST: '127.0.0.1', WEB_CONCURRENCY: '4' };
  const child = image.launch(app, { ...(processType ? { process: processType } : {}), env });
  const state = { output: '', exited: false };
  child.all?.on('data', (d: Buffer) => {
    state.output += d.toString();
  });
  void child.then(() => {
    state.exited = true;
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    const first = await waitForHttp(`${base}/`, 60_000, () => state.output);
    expect([first.status, first.body]).toEqual([200, 'hello']);
    expect(first.server).toEqual(serverHeader === null ? null : expect.stringMatching(serverHeader));
  } catch (err) {
    await stop(child);
    throw err;
  }
  return { child, state, base };
}

/** wrk's summary: requests, and the counts of the lines it prints only when they are not zero. */
function parseWrk(output: string) {
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  return {
    requests: Number(/(\d+) requests in /.exec(output)?.[1] ?? 0),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0),
    socketErrors: {
      connect: Number(socket?.[1] ?? 0),
      read: Number(socket?.[2] ?? 0),
      write: Number(socket?.[3] ?? 0),
      timeout: Number(socket?.[4] ?? 0),
    },
  };
}

test('web (gunicorn) saturated for 30 s: every response 2xx, no socket errors', async () => {
  const { child, state, base } = await launch(undefined, /^gunicorn/);
  try {
    const wrk = await execa('wrk', ['-t2', '-c64', '-d30s', '--latency', `${base}/`], { reject: false, timeout: 90_000 });
    console.log(`wrk against gunicorn:\n${wrk.stdout}`);
    expect(wrk.exitCode).toBe(0);
    const summary = parseWrk(wrk.stdout);
    expect(summary).toEqual({ requests: expect.any(Number), non2xx: 0, socketErrors: { connect: 0, read: 0, write: 0, timeout: 0 } });
    expect(summary.requests).toBeGreaterThan(0);
  } finally {
    const stopped = await stop(child);
    if (stopped.exitCode !== 0) expect(state.output).toBe('exit status 0');
  }
});

describe('SIGTERM under load drops no request sent before it; the server exits 0', () => {
  const servers = [
    ['web (gunicorn)', undefined, /^gunicorn/],
    ['waitress', 'waitress', /^waitress/],
    ['uwsgi', 'uwsgi', null],
    ['mod_wsgi', 'mod_wsgi', /^Apache/],
  ] as const;
  // Each serves 32 requests at once (4 processes x 8 threads; waitress 32 threads): 8 clients on a
  // 300 ms endpoint keep requests in flight at every moment, 40 keep a queue waiting.
  test.each(
    servers.flatMap(
      ([name, type, header]) =>
        [
          [`${name}, 8 clients`, type, header, 8],
          [`${name}, 40 clients`, type, header, 40],
        ] as const,
    ),
  )('%s', async (name, processType, serverHeader, workers) => {
    const { child, state, base } = await launch(processType, serverHeader);
    try {
      const load = closedLoop(`${base}/slow`, { workers, done: () => state.exited, maxMs: 30_000 });
      await sleep(2000);
      const signalledAt = performance.now();
      const stopped = await stop(child, 'SIGTERM');
      const results = await load;
      const before = results.filter((r) => r.writtenAt !== undefined && r.writtenAt < signalledAt);
      const after = results.filter((r) => !before.includes(r));
      console.log(`${name}: sent before SIGTERM ${JSON.stringify(tally(before))}, after ${JSON.stringify(tally(after))}`);
      expect(before.length).toBeGreaterThanOrEqual(16);
      expect(before.filter((r) => r.status !== 200)).toEqual([]);
      if (stopped.exitCode !== 0) expect(state.output).toBe('exit status 0');
    } finally {
      await stop(child);
    }
  });
});
