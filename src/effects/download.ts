import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';

export interface Progress {
  received: number;
  total?: number;
}

export interface DownloadOptions {
  /** Called at most every `progressIntervalMs` while bytes arrive. */
  onProgress?: (p: Progress) => void;
  progressIntervalMs?: number;
  /** Waits before retries 1, 2, …; a network error after the last one is final. */
  retryDelaysMs?: readonly number[];
  onRetry?: (attempt: number, error: Error, delayMs: number) => void;
}

/** Why a download failed: `network` errors are retried; the others never are. */
export class DownloadError extends Error {
  constructor(message: string, readonly kind: 'network' | 'unavailable' | 'checksum', readonly status?: number) {
    super(message);
  }
}

function open(uri: string): Promise<{ body: NodeJS.ReadableStream; total?: number }> {
  const url = new URL(uri);
  if (url.protocol === 'file:') return Promise.resolve({ body: createReadStream(fileURLToPath(url)) });
  const client = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
  if (!client) return Promise.reject(new DownloadError(`unsupported URL scheme ${url.protocol}`, 'unavailable'));
  return new Promise((resolve, reject) => {
    const req = client.get(url, { timeout: 30_000 }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        resolve(open(new URL(res.headers.location, url).toString()));
      } else if (status !== 200) {
        res.resume();
        reject(new DownloadError(`HTTP ${status} ${res.statusMessage ?? ''}`.trim(), status >= 500 ? 'network' : 'unavailable', status));
      } else {
        const length = Number(res.headers['content-length']);
        resolve({ body: res, ...(length > 0 ? { total: length } : {}) });
      }
    });
    req.on('timeout', () => req.destroy(new Error('no response for 30s')));
    req.on('error', (err) => reject(new DownloadError(err.message, 'network')));
  });
}

async function attempt(uri: string, dest: string, opts: DownloadOptions): Promise<string> {
  const { body, total } = await open(uri);
  const hash = createHash('sha256');
  const every = opts.progressIntervalMs ?? 5000;
  let received = 0;
  let last = Date.now();
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      received += chunk.length;
      hash.update(chunk);
      if (opts.onProgress && Date.now() - last >= every) {
        last = Date.now();
        opts.onProgress({ received, ...(total ? { total } : {}) });
      }
      done(null, chunk);
    },
  });
  try {
    await pipeline(body, meter, createWriteStream(dest));
  } catch (err) {
    // A missing or unreadable local file (file:// URIs) will not appear by retrying.
    const code = (err as NodeJS.ErrnoException).code ?? '';
    const local = ['ENOENT', 'EACCES', 'EISDIR'].includes(code);
    // Node reports a connection dropped mid-body as a bare "aborted": say how much arrived.
    const cut = code === 'ECONNRESET' && total !== undefined && received < total;
    throw new DownloadError(cut ? `the connection ended after ${received} of ${total} bytes` : (err as Error).message || 'the connection was closed', local ? 'unavailable' : 'network');
  }
  if (total !== undefined && received !== total) {
    throw new DownloadError(`the connection ended after ${received} of ${total} bytes`, 'network');
  }
  return hash.digest('hex');
}

/**
 * Streams `uri` into `dest` and checks its sha256 before anyone reads it. Network
 * errors (and 5xx) are retried with backoff; a wrong checksum or a 4xx is final,
 * because trying again would fetch the same wrong bytes.
 */
export async function downloadVerified(uri: string, dest: string, sha256: string, opts: DownloadOptions = {}): Promise<void> {
  const delays = opts.retryDelaysMs ?? [1000, 3000, 9000];
  for (let n = 0; ; n++) {
    try {
      const actual = await attempt(uri, dest, opts);
      if (actual !== sha256) throw new DownloadError(`expected sha256 ${sha256} but got ${actual}`, 'checksum');
      return;
    } catch (err) {
      await rm(dest, { force: true });
      const error = err instanceof DownloadError ? err : new DownloadError((err as Error).message, 'network');
      const delay = delays[n];
      if (error.kind !== 'network' || delay === undefined) throw error;
      opts.onRetry?.(n + 1, error, delay);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
