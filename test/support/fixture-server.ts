import { createReadStream } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, sep } from 'node:path';

export type FaultKind = 'not-found' | 'drop-connection' | 'truncate' | 'wrong-body' | 'redirect-loop' | 'redirect-to-file' | 'drip';

/** Static files over HTTP on 127.0.0.1, with faults that tests can inject per path. */
export interface FixtureServer {
  /** http://127.0.0.1:PORT, no trailing slash */
  url: string;
  port: number;
  /** decoded paths of every request, in order, e.g. to assert that nothing was downloaded */
  requests: string[];
  /**
   * What every request carried besides its path: its query string and Authorization header
   * (both ignored when serving, as a private index accepting them would), e.g. to assert
   * that a credential was really sent.
   */
  received: { path: string; query: string; authorization: string }[];
  /** make the next `count` requests of exactly `path` fail (default: until clearFaults) */
  fault(path: string, kind: FaultKind, count?: number): void;
  clearFaults(): void;
  /** stops listening and destroys open connections */
  close(): Promise<void>;
}

export interface FixtureServerOptions {
  /** listen on this port instead of a random one, e.g. to bring a server back at the same URL */
  port?: number;
}

// what a real server would send: pip reads an index page only when it is text/html
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.tgz': 'application/gzip',
  '.whl': 'application/zip',
  '.sha256': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};
/**
 * PyPI's caching: release files never change (immutable, a year), index pages for ten
 * minutes. pip's HTTP cache stores only what these headers allow, so tests of "a rebuild
 * downloads only the new wheel" need them to mean what they mean against a real index.
 */
function cacheControl(file: string): string {
  return file.endsWith('.html') ? 'max-age=600, public' : 'max-age=31536000, immutable, public';
}

// how much a dropped connection delivers before it dies
const DROP_AFTER_BYTES = 4096;
// a drip sends one byte this often: never idle long enough for a client's socket timeout
const DRIP_INTERVAL_MS = 1000;

export async function startFixtureServer(root: string, opts: FixtureServerOptions = {}): Promise<FixtureServer> {
  const realRoot = await realpath(root);
  const requests: string[] = [];
  const received: FixtureServer['received'] = [];
  const faults = new Map<string, { kind: FaultKind; remaining: number }>();

  const takeFault = (path: string): FaultKind | undefined => {
    const f = faults.get(path);
    if (f && --f.remaining <= 0) faults.delete(path);
    return f?.kind;
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (res.headersSent) res.destroy();
      else res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${err.message}\n`);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { pathname: rawPath, search } = new URL(req.url ?? '/', 'http://x');
    let path: string;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      return notFound(res);
    }
    requests.push(path);
    received.push({ path, query: search, authorization: req.headers.authorization ?? '' });
    const fault = takeFault(path);
    if (fault === 'not-found') return notFound(res);
    if (fault === 'redirect-loop') return void res.writeHead(302, { Location: rawPath }).end();
    if (fault === 'redirect-to-file') return void res.writeHead(302, { Location: 'file:///etc/hostname' }).end();

    const file = await resolveFile(realRoot, path);
    if (file === 'redirect') {
      // relative links in index pages (../../X.whl) only resolve against a URL ending in /
      res.writeHead(301, { Location: `${rawPath}/` }).end();
      return;
    }
    if (!file) return notFound(res);
    const headers = { 'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': cacheControl(file) };
    const body = fault ? await readFile(file) : undefined;
    if (!body) {
      res.writeHead(200, { ...headers, 'Content-Length': (await stat(file)).size });
      if (req.method === 'HEAD') return void res.end();
      createReadStream(file)
        .on('error', () => res.destroy())
        .pipe(res);
      return;
    }
    if (fault === 'drop-connection') {
      res.writeHead(200, { ...headers, 'Content-Length': body.length });
      res.write(body.subarray(0, Math.min(DROP_AFTER_BYTES, body.length >> 1)), () => res.socket?.destroy());
    } else if (fault === 'drip') {
      res.writeHead(200, { ...headers, 'Content-Length': body.length });
      let sent = 0;
      // one byte a second until the body is sent or the client goes: bounded by both
      const timer = setInterval(() => {
        if (sent < body.length) res.write(body.subarray(sent, ++sent));
        else {
          clearInterval(timer);
          res.end();
        }
      }, DRIP_INTERVAL_MS);
      res.on('close', () => clearInterval(timer));
    } else if (fault === 'truncate') {
      const half = body.subarray(0, body.length >> 1);
      res.writeHead(200, { ...headers, 'Content-Length': half.length }).end(half);
    } else {
      // wrong-body: every byte inverted, so same length and certainly different content
      res.writeHead(200, { ...headers, 'Content-Length': body.length }).end(body.map((b) => b ^ 0xff));
    }
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    received,
    fault(path, kind, count = Infinity) {
      faults.set(path, { kind, remaining: count });
    },
    clearFaults() {
      faults.clear();
    },
    close() {
      return new Promise((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      });
    },
  };
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
}

/** The file to serve for a URL path, 'redirect' for a directory named without its slash, or undefined (404). */
async function resolveFile(realRoot: string, urlPath: string): Promise<string | 'redirect' | undefined> {
  let target: string;
  try {
    // realpath also resolves symlinks, so a link pointing outside root is caught too
    target = await realpath(join(realRoot, urlPath));
  } catch {
    return undefined;
  }
  if (target !== realRoot && !target.startsWith(realRoot + sep)) return undefined;
  const info = await stat(target);
  if (info.isFile()) return target;
  if (!info.isDirectory()) return undefined;
  if (!urlPath.endsWith('/')) return 'redirect';
  const index = join(target, 'index.html');
  return (await stat(index).catch(() => undefined))?.isFile() ? index : undefined;
}
