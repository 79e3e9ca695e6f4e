import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { startProxy, type TestProxy } from '../../test/support/proxy.js';
import { freePort } from '../../test/support/http.js';
import { indexUrls, reachable } from './index-probe.js';

const hits: string[] = [];
const sockets = new Set<Socket>();
let server: http.Server;
let base: string;
let proxy: TestProxy;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/silent/') return; // accepts, never answers
    if (req.url === '/loop/') res.writeHead(302, { location: '/loop/' }).end();
    else res.writeHead(404).end();
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy = await startProxy((to) =>
    to === 'index.pywarp.invalid:80' ? { host: '127.0.0.1', port: (server.address() as AddressInfo).port } : undefined,
  );
});
afterAll(async () => {
  await proxy.close();
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  hits.length = 0;
  proxy.requests.length = 0;
});

test("indexUrls: pip's default, or the index and the extra indexes", () => {
  expect(indexUrls({})).toEqual(['https://pypi.org/simple/']);
  expect(indexUrls({ PIP_INDEX_URL: 'http://a/simple/', PIP_EXTRA_INDEX_URL: ' http://b/ http://c/ ' })).toEqual([
    'http://a/simple/',
    'http://b/',
    'http://c/',
  ]);
});

describe('reachable', () => {
  test('any HTTP answer counts, a 404 too', async () => {
    expect(await reachable(`${base}/simple/`, {})).toBe(true);
  });

  test('a redirect counts as an answer and is not followed', async () => {
    expect(await reachable(`${base}/loop/`, {})).toBe(true);
    expect(hits).toEqual(['/loop/']);
  });

  test('an index URL with credentials (each form of userinfo) is probed without them', async () => {
    const host = base.replace('http://', '');
    for (const userinfo of ['user:token@', ':token@', 'token@'])
      expect(await reachable(`http://${userinfo}${host}/simple/?token=x`, {})).toBe(true);
    expect(hits).toEqual(['/simple/?token=x', '/simple/?token=x', '/simple/?token=x']);
  });

  test('nothing listening is unreachable', async () => {
    expect(await reachable(`http://127.0.0.1:${await freePort()}/simple/`, {})).toBe(false);
  });

  test('a server that never answers is unreachable once the timeout passes', async () => {
    expect(await reachable(`${base}/silent/`, {}, 200)).toBe(false);
  });

  test('the index is probed through the proxy the build config names', async () => {
    expect(await reachable('http://index.pywarp.invalid/simple/', { http_proxy: proxy.url })).toBe(true);
    expect(proxy.requests.map((r) => r.line)).toEqual(['CONNECT index.pywarp.invalid:80']);
    expect(hits).toEqual(['/simple/']);
  });

  test('a non-URL is unreachable; a non-http URL (a local directory) is not probed', async () => {
    expect(await reachable('not a url', {})).toBe(false);
    expect(await reachable('file:///srv/wheels', {})).toBe(true);
  });
});
