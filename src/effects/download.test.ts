import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DownloadError, downloadVerified, type DownloadOptions, type Progress } from './download.js';

const BODY = Buffer.alloc(256 * 1024, 'pywarp-');
const SHA = createHash('sha256').update(BODY).digest('hex');
const WRONG_SHA = '0'.repeat(64);
const FAST: DownloadOptions = { retryDelaysMs: [10, 10] };

const requests = new Map<string, number>();
const sockets = new Set<Socket>();
let server: http.Server;
let base: string;
let tmp: string;
let dest: string;

/** Sends the headers and part of the body, then kills the connection. */
function dropMidBody(res: http.ServerResponse): void {
  res.writeHead(200, { 'content-length': String(BODY.length) });
  res.write(BODY.subarray(0, 1000), () => res.socket?.destroy());
}

const routes: Record<string, (res: http.ServerResponse, n: number) => void> = {
  '/ok': (res) => res.writeHead(200, { 'content-length': String(BODY.length) }).end(BODY),
  '/chunked': (res) => {
    res.writeHead(200);
    res.write(BODY.subarray(0, 1000));
    res.end(BODY.subarray(1000));
  },
  '/missing': (res) => res.writeHead(404).end('not found'),
  '/forbidden': (res) => res.writeHead(403).end(),
  '/error': (res) => res.writeHead(503).end(),
  '/redirect': (res) => res.writeHead(302, { location: '/ok' }).end(),
  '/flaky': (res, n) => (n === 1 ? dropMidBody(res) : routes['/ok']?.(res, n)),
  '/drop': (res) => dropMidBody(res),
  '/short': (res) => {
    // Promises more than it sends, then closes.
    const socket = res.socket;
    res.writeHead(200, { 'content-length': String(BODY.length + 100) });
    res.end(BODY, () => socket?.end());
  },
};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = req.url ?? '';
    const n = (requests.get(url) ?? 0) + 1;
    requests.set(url, n);
    const route = routes[url];
    if (route) route(res, n);
    else res.writeHead(500).end();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(async () => {
  requests.clear();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pywarp-download-'));
  dest = path.join(tmp, 'archive.tar.gz');
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function failure(uri: string, sha256: string, opts: DownloadOptions = FAST): Promise<DownloadError> {
  const err = await downloadVerified(uri, dest, sha256, opts).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (err instanceof DownloadError) return err;
  throw new Error(`expected a DownloadError, got ${String(err)}`);
}

const retries = () => {
  const calls: [number, string, number][] = [];
  return { calls, opts: { ...FAST, onRetry: (n: number, e: Error, d: number) => calls.push([n, e.message, d]) } };
};

describe('downloadVerified over http', () => {
  test('downloads and verifies the sha256', async () => {
    await downloadVerified(`${base}/ok`, dest, SHA, FAST);
    expect((await readFile(dest)).equals(BODY)).toBe(true);
    expect(requests.get('/ok')).toBe(1);
  });

  test('follows a redirect', async () => {
    await downloadVerified(`${base}/redirect`, dest, SHA, FAST);
    expect((await readFile(dest)).equals(BODY)).toBe(true);
  });

  test('works without a Content-Length', async () => {
    const progress: Progress[] = [];
    await downloadVerified(`${base}/chunked`, dest, SHA, { ...FAST, progressIntervalMs: 0, onProgress: (p) => progress.push(p) });
    expect((await readFile(dest)).equals(BODY)).toBe(true);
    expect(progress.at(-1)).toEqual({ received: BODY.length });
  });

  test('a wrong sha256 is a checksum error, not retried, and leaves no file', async () => {
    const { calls, opts } = retries();
    const err = await failure(`${base}/ok`, WRONG_SHA, opts);
    expect(err.kind).toBe('checksum');
    expect(err.message).toContain(SHA);
    expect(err.message).toContain(WRONG_SHA);
    expect(requests.get('/ok')).toBe(1);
    expect(calls).toEqual([]);
    expect(await readdir(tmp)).toEqual([]);
  });

  test.each([
    ['/missing', 404],
    ['/forbidden', 403],
  ])('%s: HTTP %d is "unavailable" and not retried', async (route, status) => {
    const { calls, opts } = retries();
    const err = await failure(`${base}${route}`, SHA, opts);
    expect([err.kind, err.status]).toEqual(['unavailable', status]);
    expect(err.message).toContain(String(status));
    expect(requests.get(route)).toBe(1);
    expect(calls).toEqual([]);
    expect(await readdir(tmp)).toEqual([]);
  });

  test('a 5xx is a network error, retried until the delays run out', async () => {
    const err = await failure(`${base}/error`, SHA);
    expect([err.kind, err.status]).toEqual(['network', 503]);
    expect(requests.get('/error')).toBe(3);
  });

  test('a connection dropped mid-body is retried, and the retry succeeds', async () => {
    const { calls, opts } = retries();
    await downloadVerified(`${base}/flaky`, dest, SHA, opts);
    expect((await readFile(dest)).equals(BODY)).toBe(true);
    expect(requests.get('/flaky')).toBe(2);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.[0]).toBe(1);
    expect(calls[0]?.[2]).toBe(10);
  });

  test('a connection that always drops fails as "network" after every retry, leaving no file', async () => {
    const { calls, opts } = retries();
    const err = await failure(`${base}/drop`, SHA, opts);
    expect(err.kind).toBe('network');
    expect(err.message).toBe(`the connection ended after 1000 of ${BODY.length} bytes`);
    expect(requests.get('/drop')).toBe(3);
    expect(calls.map(([n, , d]) => [n, d])).toEqual([[1, 10], [2, 10]]);
    expect(await readdir(tmp)).toEqual([]);
  });

  test('a body shorter than its Content-Length is a network error', async () => {
    const err = await failure(`${base}/short`, SHA, { retryDelaysMs: [] });
    expect(err.kind).toBe('network');
    expect(requests.get('/short')).toBe(1);
    expect(await readdir(tmp)).toEqual([]);
  });

  test('no retry delays: one attempt only', async () => {
    const err = await failure(`${base}/drop`, SHA, { retryDelaysMs: [] });
    expect(err.kind).toBe('network');
    expect(requests.get('/drop')).toBe(1);
  });

  test('a refused connection is a network error', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const err = await failure(`http://127.0.0.1:${port}/x`, SHA, { retryDelaysMs: [] });
    expect(err.kind).toBe('network');
  });

  test('progress is reported with received and total', async () => {
    const progress: Progress[] = [];
    await downloadVerified(`${base}/ok`, dest, SHA, { ...FAST, progressIntervalMs: 0, onProgress: (p) => progress.push(p) });
    expect(progress.length).toBeGreaterThan(0);
    for (const p of progress) expect(p.total).toBe(BODY.length);
    const received = progress.map((p) => p.received);
    expect(received).toEqual([...received].sort((a, b) => a - b));
    expect(received.at(-1)).toBe(BODY.length);
  });

  test('an unsupported scheme is "unavailable"', async () => {
    const err = await failure('ftp://127.0.0.1/x', SHA);
    expect(err.kind).toBe('unavailable');
  });
});

describe('downloadVerified from file://', () => {
  test('copies and verifies a local file', async () => {
    const source = path.join(tmp, 'source.bin');
    await writeFile(source, BODY);
    await downloadVerified(pathToFileURL(source).toString(), dest, SHA, FAST);
    expect((await readFile(dest)).equals(BODY)).toBe(true);
  });

  test('a missing file is "unavailable", without retries, and leaves no file', async () => {
    const { calls, opts } = retries();
    const err = await failure(pathToFileURL(path.join(tmp, 'missing.tgz')).toString(), SHA, opts);
    expect(err.kind).toBe('unavailable');
    expect(calls).toEqual([]);
    expect(await readdir(tmp)).toEqual([]);
  });

  test('a wrong sha256 from a file is a checksum error', async () => {
    const source = path.join(tmp, 'source.bin');
    await writeFile(source, BODY);
    const err = await failure(pathToFileURL(source).toString(), WRONG_SHA);
    expect(err.kind).toBe('checksum');
    expect(await readdir(tmp)).toEqual(['source.bin']);
  });
});
