import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { BuildError } from '../output/build-error.js';
import { startProxy } from '../../test/support/proxy.js';
import { DownloadError, downloadVerified, type DownloadOptions, type Progress } from './download.js';
import { failureText } from '../output/messages.js';

const BODY = Buffer.alloc(256 * 1024, 'pywarp-');
const SHA = createHash('sha256').update(BODY).digest('hex');
const WRONG_SHA = '0'.repeat(64);
const BODY_GZ = gzipSync(BODY);
const FAST: DownloadOptions = { retryDelaysMs: [10, 10] };
/** Small limits, so that each hostile case ends in well under a second. */
const TIGHT: DownloadOptions = {
  retryDelaysMs: [],
  limits: { idleTimeoutMs: 300, throughputWindowMs: 300, minBytesPerSecond: 10_000, connectTimeoutMs: 1000 },
};

const requests = new Map<string, number>();
const sockets = new Set<Socket>();
let server: http.Server;
/** The same routes at another origin (another port). */
let other: http.Server;
let otherBase: string;
/** Accepts connections and never answers. */
let silent: http.Server;
let silentUrl: string;
let base: string;
let tmp: string;
let dest: string;

/** Sends the headers and part of the body, then kills the connection. */
function dropMidBody(res: http.ServerResponse): void {
  res.writeHead(200, { 'content-length': String(BODY.length) });
  res.write(BODY.subarray(0, 1000), () => res.socket?.destroy());
}

/** Writes `chunk` every `everyMs` until the client goes away (or `maxWrites`, so the loop ends regardless). */
function trickle(res: http.ServerResponse, chunk: Buffer, everyMs: number, maxWrites: number): void {
  let writes = 0;
  const timer = setInterval(() => {
    if (++writes > maxWrites || res.destroyed) {
      clearInterval(timer);
      res.end();
    } else {
      res.write(chunk);
    }
  }, everyMs);
  res.on('close', () => clearInterval(timer));
}

/** An endless body: as fast as the client reads, until it goes away or 64 MiB (the loop's own bound). */
function endless(res: http.ServerResponse): void {
  const chunk = Buffer.alloc(64 * 1024, 'z');
  let sent = 0;
  const pump = () => {
    while (!res.destroyed && sent < 64 * 1024 * 1024) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    res.end();
  };
  res.writeHead(200);
  pump();
}

const MAX_CHAIN = 10_000;

/** What a private mirror takes: user `mirror`, a token with characters a URL must escape. */
const TOKEN = 'to:k/en';
const BASIC = `Basic ${Buffer.from(`mirror:${TOKEN}`).toString('base64')}`;

const routes: Record<string, (res: http.ServerResponse, n: number, req: http.IncomingMessage) => void> = {
  '/private': (res, n, req) => (req.headers.authorization === BASIC ? routes['/ok']?.(res, n, req) : res.writeHead(401).end()),
  '/to-private': (res) => res.writeHead(302, { location: '/private' }).end(),
  '/to-other-origin': (res) => res.writeHead(302, { location: `${otherBase}/private` }).end(),
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
  '/flaky': (res, n, req) => (n === 1 ? dropMidBody(res) : routes['/ok']?.(res, n, req)),
  '/drop': (res) => dropMidBody(res),
  '/short': (res) => {
    // Promises more than it sends, then closes.
    const socket = res.socket;
    res.writeHead(200, { 'content-length': String(BODY.length + 100) });
    res.end(BODY, () => socket?.end());
  },
  '/loop': (res) => res.writeHead(302, { location: '/loop' }).end(),
  '/to-file': (res) => res.writeHead(302, { location: 'file:///etc/hostname' }).end(),
  '/to-ftp': (res) => res.writeHead(301, { location: 'ftp://127.0.0.1/x' }).end(),
  '/ten-redirects': (res) => res.writeHead(302, { location: '/chain/9991' }).end(),
  // Headers, then one byte every 10 ms: alive, never idle, hopelessly slow.
  '/drip': (res) => {
    res.writeHead(200, { 'content-length': String(BODY.length) });
    trickle(res, Buffer.from('p'), 10, 5000);
  },
  // Headers, a first chunk, then nothing: the connection stays open.
  '/stall-body': (res) => {
    res.writeHead(200, { 'content-length': String(BODY.length) });
    res.write(BODY.subarray(0, 1000));
  },
  '/endless': endless,
  '/to-https': (res) => res.writeHead(302, { location: 'https://secure.pywarp.invalid/python.tgz' }).end(),
  '/announced-huge': (res) => res.writeHead(200, { 'content-length': String(10 * 1024 * 1024 * 1024) }).end(),
  '/gzip-encoded': (res) => res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(BODY_GZ.length) }).end(BODY_GZ),
};

/** /chain/N redirects to /chain/N+1, up to MAX_CHAIN, which serves the body. */
function chain(url: string, res: http.ServerResponse): boolean {
  const m = /^\/chain\/(\d+)$/.exec(url);
  if (!m) return false;
  const n = Number(m[1]);
  if (n >= MAX_CHAIN) res.writeHead(200, { 'content-length': String(BODY.length) }).end(BODY);
  else res.writeHead(302, { location: `/chain/${n + 1}` }).end();
  return true;
}

function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = req.url ?? '';
  const n = (requests.get(url) ?? 0) + 1;
  requests.set(url, n);
  const route = routes[url];
  if (route) route(res, n, req);
  else if (!chain(url, res)) res.writeHead(500).end();
}

beforeAll(async () => {
  server = http.createServer(handle);
  other = http.createServer(handle);
  for (const s of [server, other])
    s.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  otherBase = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  silent = http.createServer(() => undefined);
  silent.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/x`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  server.closeAllConnections();
  other.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await new Promise<void>((resolve) => other.close(() => resolve()));
  await new Promise<void>((resolve) => silent.close(() => resolve()));
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
    expect(calls.map(([n, , d]) => [n, d])).toEqual([
      [1, 10],
      [2, 10],
    ]);
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

  describe('credentials in the URL (a private mirror)', () => {
    const withToken = (url: string) => url.replace('http://', `http://mirror:${encodeURIComponent(TOKEN)}@`);

    test('are sent as Basic authorization, percent-decoded, and kept over a redirect on the same origin', async () => {
      await downloadVerified(withToken(`${base}/private`), dest, SHA, FAST);
      await downloadVerified(withToken(`${base}/to-private`), dest, SHA, FAST);
      expect((await readFile(dest)).equals(BODY)).toBe(true);
    });

    test('are not sent to another origin a redirect names', async () => {
      const err = await failure(withToken(`${base}/to-other-origin`), SHA);
      expect([err.kind, err.status]).toEqual(['unavailable', 401]);
    });

    test('never appear in an error message, nor does a query string', async () => {
      const token = encodeURIComponent(TOKEN);
      const err = new DownloadError(
        `Request failed: http://mirror:${token}@127.0.0.1/x.tgz?token=${token} and http://:${token}@h/`,
        'network',
      );
      expect(err.message).toBe('Request failed: http://***@127.0.0.1/x.tgz?*** and http://***@h/');
    });
  });

  test('an unsupported scheme is "unavailable"', async () => {
    const err = await failure('ftp://127.0.0.1/x', SHA);
    expect(err.kind).toBe('unavailable');
  });

  test('an address that is not a URL is "unavailable", and not quoted', async () => {
    const err = await failure('http://user:s3cret@bad host/x', SHA);
    expect([err.kind, err.message]).toEqual(['unavailable', 'the address is not a URL; use an https://, http:// or file:// URL']);
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

describe('every download is bounded', () => {
  test('a redirect loop stops after 10 redirects', async () => {
    const err = await failure(`${base}/loop`, SHA, TIGHT);
    expect([err.kind, err.message]).toEqual(['limit', 'the server redirected more than 10 times, the limit']);
    expect(requests.get('/loop')).toBe(11);
    expect(await readdir(tmp)).toEqual([]);
  });

  test('a 10,000-redirect chain is not followed to the end', async () => {
    const err = await failure(`${base}/chain/0`, SHA, TIGHT);
    expect(err.kind).toBe('limit');
    expect([...requests.keys()].filter((k) => k.startsWith('/chain/'))).toHaveLength(11);
    expect(requests.has(`/chain/${MAX_CHAIN}`)).toBe(false);
  });

  test('exactly 10 redirects are followed', async () => {
    await downloadVerified(`${base}/ten-redirects`, dest, SHA, TIGHT);
    expect((await readFile(dest)).equals(BODY)).toBe(true);
  });

  test('the redirect limit can be lowered', async () => {
    const err = await failure(`${base}/ten-redirects`, SHA, { ...TIGHT, limits: { maxRedirects: 3 } });
    expect(err.message).toBe('the server redirected more than 3 times, the limit');
  });

  test.each([
    ['/to-file', 'file:'],
    ['/to-ftp', 'ftp:'],
  ])('%s: a redirect to a non-http(s) scheme is refused, and nothing is read', async (route, scheme) => {
    const err = await failure(`${base}${route}`, SHA, TIGHT);
    expect(err.kind).toBe('limit');
    expect(err.message).toBe(`the server redirected to a ${scheme} URL, and downloads follow redirects only to http:// and https://`);
    expect(await readdir(tmp)).toEqual([]);
  });

  test('a server that accepts and never answers fails with the limit named', async () => {
    const err = await failure(silentUrl, SHA, TIGHT);
    expect([err.kind, err.message]).toEqual(['limit', 'the server sent no answer within 300ms, the limit']);
  });

  test('a body that stops arriving fails with the limit named, leaving no file', async () => {
    const err = await failure(`${base}/stall-body`, SHA, { ...TIGHT, limits: { ...TIGHT.limits, throughputWindowMs: 60_000 } });
    expect([err.kind, err.message]).toEqual(['limit', 'nothing arrived for 300ms, the limit']);
    expect(await readdir(tmp)).toEqual([]);
  });

  test('a server that drips bytes fails the minimum throughput, with the minimum named', async () => {
    const err = await failure(`${base}/drip`, SHA, TIGHT);
    expect(err.kind).toBe('limit');
    expect(err.message).toMatch(/^only \d+ bytes arrived in 300ms, below the minimum of 10 KiB\/s$/);
    expect(await readdir(tmp)).toEqual([]);
  });

  test('an endless body stops at the size limit, leaving no file', async () => {
    const err = await failure(`${base}/endless`, SHA, { ...TIGHT, limits: { maxBytes: 1024 * 1024 } });
    expect([err.kind, err.message]).toEqual(['limit', 'the file is larger than 1.0 MiB, the most pywarp downloads']);
    expect(await readdir(tmp)).toEqual([]);
  });

  test('a Content-Length above the size limit is refused before the body', async () => {
    const err = await failure(`${base}/announced-huge`, SHA, TIGHT);
    expect([err.kind, err.message]).toEqual(['limit', 'the file is larger than 512.0 MiB, the most pywarp downloads']);
  });

  test('a local file is bounded by the size limit too', async () => {
    const err = await failure('file:///dev/zero', SHA, { ...TIGHT, limits: { maxBytes: 1024 * 1024 } });
    expect(err.kind).toBe('limit');
    expect(await readdir(tmp)).toEqual([]);
  });

  test('a limit is never retried, a timeout included', async () => {
    const { calls, opts } = retries();
    await failure(`${base}/loop`, SHA, opts);
    await failure(`${base}/drip`, SHA, { ...opts, limits: TIGHT.limits });
    expect(calls).toEqual([]);
    expect(requests.get('/loop')).toBe(11);
    expect(requests.get('/drip')).toBe(1);
  });

  test('a body compressed in transit although pywarp asked for none (accept-encoding: identity) is decoded to the file', async () => {
    await downloadVerified(`${base}/gzip-encoded`, dest, SHA, TIGHT);
    expect((await readFile(dest)).equals(BODY)).toBe(true);
  });
});

describe('downloads through a proxy named in the build config', () => {
  const target = () => new URL(base);
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  beforeEach(async () => {
    // files.pywarp.invalid resolves nowhere: only the proxy knows it is the test server.
    proxy = await startProxy((to) => (to === 'files.pywarp.invalid:80' ? { host: '127.0.0.1', port: Number(target().port) } : undefined));
  });
  afterEach(async () => {
    await proxy.close();
  });

  test.each(['HTTP_PROXY', 'http_proxy'])('%s carries http:// downloads (tunnelled with CONNECT)', async (name) => {
    await downloadVerified('http://files.pywarp.invalid/ok', dest, SHA, { ...TIGHT, config: { [name]: proxy.url } });
    expect((await readFile(dest)).equals(BODY)).toBe(true);
    expect(proxy.requests).toEqual([{ line: 'CONNECT files.pywarp.invalid:80' }]);
    expect(requests.get('/ok')).toBe(1);
  });

  test('redirects are followed through the proxy too', async () => {
    await downloadVerified('http://files.pywarp.invalid/redirect', dest, SHA, { ...TIGHT, config: { HTTP_PROXY: proxy.url } });
    expect(requests.get('/redirect')).toBe(1);
    expect(requests.get('/ok')).toBe(1);
  });

  test.each(['HTTPS_PROXY', 'https_proxy'])('%s carries https:// downloads', async (name) => {
    const err = await failure('https://secure.pywarp.invalid/python.tgz', SHA, { ...TIGHT, config: { [name]: proxy.url } });
    expect(proxy.requests).toEqual([{ line: 'CONNECT secure.pywarp.invalid:443' }]);
    expect([err.kind, err.message]).toEqual(['network', 'the proxy answered HTTP 407 when asked to connect']);
  });

  test('HTTP_PROXY alone does not carry https:// downloads, as with curl and pip', async () => {
    // Direct TLS to a plain-HTTP server fails; what matters is that the proxy saw nothing.
    const err = await failure(`${base.replace('http:', 'https:')}/ok`, SHA, { ...TIGHT, config: { HTTP_PROXY: proxy.url } });
    expect(err.kind).toBe('network');
    expect(proxy.requests).toEqual([]);
  });

  test('a redirect from http:// to https:// switches to the https proxy', async () => {
    const err = await failure('http://files.pywarp.invalid/to-https', SHA, {
      ...TIGHT,
      config: { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url },
    });
    expect(proxy.requests.map((r) => r.line)).toEqual(['CONNECT files.pywarp.invalid:80', 'CONNECT secure.pywarp.invalid:443']);
    expect(err.message).toBe('the proxy answered HTTP 407 when asked to connect');
  });

  test('the lower-case name wins, as with curl and pip', async () => {
    await downloadVerified('http://files.pywarp.invalid/ok', dest, SHA, {
      ...TIGHT,
      config: { HTTP_PROXY: 'http://127.0.0.1:9', http_proxy: proxy.url },
    });
    expect(proxy.requests).toHaveLength(1);
  });

  test('credentials in the proxy URL are sent as Proxy-Authorization', async () => {
    const withUser = proxy.url.replace('http://', 'http://builder:s3cret@');
    await downloadVerified('http://files.pywarp.invalid/ok', dest, SHA, { ...TIGHT, config: { HTTP_PROXY: withUser } });
    expect(proxy.requests[0]?.authorization).toBe(`Basic ${Buffer.from('builder:s3cret').toString('base64')}`);
  });

  test.each(['NO_PROXY', 'no_proxy'])('%s sends matching hosts direct', async (name) => {
    await downloadVerified(`${base}/ok`, dest, SHA, { ...TIGHT, config: { HTTP_PROXY: proxy.url, [name]: 'localhost,127.0.0.1' } });
    expect(proxy.requests).toEqual([]);
    expect(requests.get('/ok')).toBe(1);
  });

  test("pywarp's own process.env is not read: only the build config counts", async () => {
    const saved = process.env.HTTP_PROXY;
    process.env.HTTP_PROXY = proxy.url;
    try {
      await downloadVerified(`${base}/ok`, dest, SHA, { ...TIGHT, config: {} });
    } finally {
      if (saved === undefined) delete process.env.HTTP_PROXY;
      else process.env.HTTP_PROXY = saved;
    }
    expect(proxy.requests).toEqual([]);
  });

  test('a bare host:port is taken as http://', async () => {
    await downloadVerified('http://files.pywarp.invalid/ok', dest, SHA, {
      ...TIGHT,
      config: { HTTP_PROXY: proxy.url.replace('http://', '') },
    });
    expect(proxy.requests).toHaveLength(1);
  });

  test('a proxy setting that is not an http(s) URL is a titled error, without its credentials', async () => {
    const err = await downloadVerified(`${base}/ok`, dest, SHA, {
      ...TIGHT,
      config: { HTTPS_PROXY: 'socks4://user:s3cret@proxy:1080' },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BuildError);
    expect(failureText((err as BuildError).failure).title).toBe('Invalid HTTPS_PROXY');
    expect(failureText((err as BuildError).failure).body).not.toContain('s3cret');
    expect(requests.get('/ok')).toBeUndefined();
  });
});
