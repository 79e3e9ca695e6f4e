import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { startFixtureServer, type FixtureServer } from '../support/fixture-server.js';
import { ensureFixtures, type Fixtures } from '../support/fixtures.js';

const sha256 = (data: ArrayBuffer): string => createHash('sha256').update(Buffer.from(data)).digest('hex');

let fixtures: Fixtures;
let server: FixtureServer;
let tarballPath: string;

beforeAll(async () => {
  // globalSetup has already built or found them; this only reads the cache
  fixtures = await ensureFixtures();
  server = await startFixtureServer(fixtures.dir);
  tarballPath = `/dist/${basename(fixtures.cpythonTarball)}`;
}, 15 * 60_000);

afterAll(async () => {
  await server?.close();
});

/** The Flask wheel's URL path and the sha256 its index link promises. */
async function flaskLink(): Promise<{ path: string; sha256: string }> {
  const indexUrl = `${server.url}/wheelhouse/simple/flask/`;
  const res = await fetch(indexUrl);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  const match = /href="([^"#]*Flask-[^"#]*\.whl)#sha256=([0-9a-f]{64})"/.exec(await res.text());
  if (!match?.[1] || !match[2]) throw new Error('no Flask wheel link in the flask index page');
  return { path: new URL(match[1], indexUrl).pathname, sha256: match[2] };
}

test('the fixtures describe a real CPython 3.11', () => {
  expect(fixtures.cpythonVersion).toMatch(/^3\.11\.\d+$/);
  expect(fixtures.cpythonSha256).toMatch(/^[0-9a-f]{64}$/);
  expect(fixtures.wheelhouse).toBe(join(fixtures.dir, 'wheelhouse'));
});

test('the CPython tarball downloads intact', async () => {
  const res = await fetch(server.url + tarballPath);
  expect(res.status).toBe(200);
  expect(sha256(await res.arrayBuffer())).toBe(fixtures.cpythonSha256);
});

test('the simple index links to the Flask wheel with its true sha256', async () => {
  const link = await flaskLink();
  const res = await fetch(server.url + link.path);
  expect(res.status).toBe(200);
  expect(sha256(await res.arrayBuffer())).toBe(link.sha256);
  expect(server.requests).toEqual(expect.arrayContaining([tarballPath, '/wheelhouse/simple/flask/', link.path]));
});

test('a path outside the root is not served', async () => {
  expect((await fetch(`${server.url}/..%2f..%2fetc/passwd`)).status).toBe(404);
});

describe('faults', () => {
  let link: { path: string; sha256: string };
  let size: number;

  beforeAll(async () => {
    link = await flaskLink();
    size = (await stat(join(fixtures.wheelhouse, basename(link.path)))).size;
  });

  afterEach(() => server.clearFaults());

  test('not-found answers 404 for exactly `count` requests', async () => {
    server.fault(link.path, 'not-found', 1);
    expect((await fetch(server.url + link.path)).status).toBe(404);
    const res = await fetch(server.url + link.path);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  });

  test('drop-connection makes reading the body fail', async () => {
    server.fault(link.path, 'drop-connection');
    const res = await fetch(server.url + link.path);
    expect(res.headers.get('content-length')).toBe(String(size));
    await expect(res.arrayBuffer()).rejects.toThrow();
  });

  test('truncate delivers a short body that looks complete', async () => {
    server.fault(link.path, 'truncate');
    const res = await fetch(server.url + link.path);
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBe(Math.floor(size / 2));
  });

  test('wrong-body delivers the right length with the wrong content', async () => {
    server.fault(link.path, 'wrong-body');
    const res = await fetch(server.url + link.path);
    const body = await res.arrayBuffer();
    expect(body.byteLength).toBe(size);
    expect(sha256(body)).not.toBe(link.sha256);
  });

  test('a fault without a count lasts until cleared', async () => {
    server.fault(link.path, 'not-found');
    expect((await fetch(server.url + link.path)).status).toBe(404);
    expect((await fetch(server.url + link.path)).status).toBe(404);
    server.clearFaults();
    const res = await fetch(server.url + link.path);
    expect(res.status).toBe(200);
    expect(sha256(await res.arrayBuffer())).toBe(link.sha256);
  });
});
