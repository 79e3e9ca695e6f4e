import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { fileURLToPath } from 'node:url';
import { fetch } from 'undici';
import type { Env } from '../cnb/env.js';
import { downloads as text } from '../output/messages.js';
import { redactUrls } from '../plan/pip-binding.js';
import { HttpClients, proxySettings, splitCredentials } from './http-client.js';

export interface Progress {
  received: number;
  total?: number;
}

/** What one download may cost; every wait and every byte is bounded. */
export interface DownloadLimits {
  maxRedirects: number;
  maxBytes: number;
  connectTimeoutMs: number;
  /** For the response headers, and between two chunks of the body. */
  idleTimeoutMs: number;
  /** A body slower than this, averaged over each `throughputWindowMs`, is given up. */
  minBytesPerSecond: number;
  throughputWindowMs: number;
}

// python-build-standalone's archives are 20–70 MB: 512 MiB leaves room for any CPython.
const DOWNLOAD_LIMITS: DownloadLimits = {
  maxRedirects: 10,
  maxBytes: 512 * 1024 * 1024,
  connectTimeoutMs: 10_000,
  idleTimeoutMs: 30_000,
  minBytesPerSecond: 10 * 1024,
  throughputWindowMs: 30_000,
};

export interface DownloadOptions {
  /** The build's settings: the proxy variables are read from here, not from process.env. */
  config?: Env;
  limits?: Partial<DownloadLimits>;
  /** Called at most every `progressIntervalMs` while bytes arrive. */
  onProgress?: (p: Progress) => void;
  progressIntervalMs?: number;
  /** Waits before retries 1, 2, …; a network error after the last one is final. */
  retryDelaysMs?: readonly number[];
  onRetry?: (attempt: number, error: Error, delayMs: number) => void;
}

/**
 * Why a download failed: `network` errors are retried; the others never are, since trying
 * again would meet the same refusal or wrong bytes. Timeouts are limits: a server that
 * stalled or dripped would most likely do it again, and retries would multiply the wait.
 */
export class DownloadError extends Error {
  constructor(
    message: string,
    readonly kind: 'network' | 'unavailable' | 'checksum' | 'limit',
    readonly status?: number,
  ) {
    // Messages may quote a URL (undici's do): its credentials never reach a log line or an error.
    super(redactUrls(message));
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

interface Opened {
  body: Readable;
  total?: number;
  /** Stops the transfer at once (the connection is closed). */
  abort(): void;
}

/** What ended a fetch, naming the limit when one of undici's timeouts did. */
function describe(err: unknown, limits: DownloadLimits): { message: string; timeout: boolean } {
  let e = err as (Error & { code?: string; cause?: unknown }) | undefined;
  // fetch reports "fetch failed" or "terminated"; what happened is in the innermost cause.
  // (Duck-typed: undici's errors may come from another realm, where instanceof fails.)
  while (typeof (e?.cause as Error | undefined)?.message === 'string') e = e?.cause as typeof e;
  switch (e?.code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return { message: text.connectTimeout(limits.connectTimeoutMs), timeout: true };
    case 'UND_ERR_HEADERS_TIMEOUT':
      return { message: text.noAnswer(limits.idleTimeoutMs), timeout: true };
    case 'UND_ERR_BODY_TIMEOUT':
      return { message: text.idle(limits.idleTimeoutMs), timeout: true };
    default: {
      const proxy = /^Proxy response \((\d+)\)/.exec(e?.message ?? '');
      return { message: proxy ? text.proxyRefused(Number(proxy[1])) : e?.message || text.closed, timeout: false };
    }
  }
}

/**
 * GETs `start`, following at most `maxRedirects` redirects and only to http(s). Credentials
 * go only to the origin they were given for, as fetch and curl do on a redirect elsewhere.
 */
async function openHttp(start: URL, clients: HttpClients, limits: DownloadLimits): Promise<Opened> {
  let { url, authorization } = splitCredentials(start);
  for (let redirects = 0; ; redirects++) {
    const controller = new AbortController();
    const res = await fetch(url, {
      dispatcher: clients.for(url),
      redirect: 'manual',
      signal: controller.signal,
      // The checksum is of the file as stored: ask for it without transfer compression.
      headers: { 'accept-encoding': 'identity', ...(authorization ? { authorization } : {}) },
    }).catch((err: unknown) => {
      const { message, timeout } = describe(err, limits);
      throw new DownloadError(message, timeout ? 'limit' : 'network');
    });
    if (REDIRECTS.has(res.status)) {
      await res.body?.cancel();
      const location = res.headers.get('location');
      if (!location) throw new DownloadError(text.redirectWithoutLocation(res.status), 'unavailable', res.status);
      if (redirects >= limits.maxRedirects) throw new DownloadError(text.tooManyRedirects(limits.maxRedirects), 'limit');
      const next = URL.canParse(location, url) ? new URL(location, url) : undefined;
      if (!next) throw new DownloadError(text.invalidRedirect, 'unavailable');
      if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new DownloadError(text.redirectScheme(next.protocol), 'limit');
      const split = splitCredentials(next);
      authorization = split.authorization ?? (split.url.origin === url.origin ? authorization : undefined);
      url = split.url;
      continue;
    }
    if (res.status !== 200 || !res.body) {
      await res.body?.cancel();
      throw new DownloadError(text.httpStatus(res.status, res.statusText), res.status >= 500 ? 'network' : 'unavailable', res.status);
    }
    // A length given for an encoded body (a server ignoring accept-encoding) is not the file's.
    const encoded = (res.headers.get('content-encoding') ?? 'identity') !== 'identity';
    const length = encoded ? NaN : Number(res.headers.get('content-length'));
    if (length > limits.maxBytes) {
      controller.abort();
      throw new DownloadError(text.tooLarge(limits.maxBytes), 'limit');
    }
    return {
      body: Readable.fromWeb(res.body as WebReadableStream<Uint8Array>),
      ...(length > 0 ? { total: length } : {}),
      abort: () => controller.abort(),
    };
  }
}

function open(uri: string, clients: HttpClients, limits: DownloadLimits): Promise<Opened> {
  const url = URL.canParse(uri) ? new URL(uri) : undefined;
  if (url?.protocol === 'file:') {
    const body = createReadStream(fileURLToPath(url));
    return Promise.resolve({ body, abort: () => body.destroy() });
  }
  if (url?.protocol === 'http:' || url?.protocol === 'https:') return openHttp(url, clients, limits);
  // An address that does not parse is not quoted: it may hold a credential redaction cannot find.
  return Promise.reject(new DownloadError(url ? text.unsupportedScheme(url.protocol) : text.notAUrl, 'unavailable'));
}

async function attempt(uri: string, dest: string, opts: DownloadOptions, limits: DownloadLimits): Promise<string> {
  const clients = new HttpClients(proxySettings(opts.config ?? {}), limits);
  try {
    const { body, total, abort } = await open(uri, clients, limits);
    return await receive(body, total, abort, dest, opts, limits, uri.startsWith('file:'));
  } finally {
    await clients.close();
  }
}

/** Streams the body into `dest`, hashing it and enforcing the size and throughput limits. */
async function receive(
  body: Readable,
  total: number | undefined,
  abort: () => void,
  dest: string,
  opts: DownloadOptions,
  limits: DownloadLimits,
  local: boolean,
): Promise<string> {
  const hash = createHash('sha256');
  const every = opts.progressIntervalMs ?? 5000;
  let received = 0;
  let inWindow = 0;
  let last = Date.now();
  let stopped: DownloadError | undefined;
  const stop = (err: DownloadError) => {
    stopped ??= err;
    abort();
  };
  // A local file is read at disk speed; only a network peer can drip.
  const watchdog = local
    ? undefined
    : setInterval(() => {
        if (inWindow < (limits.minBytesPerSecond * limits.throughputWindowMs) / 1000) {
          stop(new DownloadError(text.tooSlow(inWindow, limits.throughputWindowMs, limits.minBytesPerSecond), 'limit'));
        }
        inWindow = 0;
      }, limits.throughputWindowMs);
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      received += chunk.length;
      inWindow += chunk.length;
      if (received > limits.maxBytes) {
        stop(new DownloadError(text.tooLarge(limits.maxBytes), 'limit'));
        done(stopped);
        return;
      }
      hash.update(chunk);
      if (opts.onProgress && Date.now() - last >= every) {
        last = Date.now();
        opts.onProgress({ received, ...(total ? { total } : {}) });
      }
      done(null, chunk);
    },
  });
  const file = createWriteStream(dest);
  try {
    await pipeline(body, meter, file);
  } catch (err) {
    // pipeline rejects at the first error, maybe before the file is even opened: once it is closed,
    // it exists and the caller's removal removes it, rather than racing its creation.
    if (!file.closed) await new Promise<void>((closed) => file.once('close', closed));
    if (stopped) throw stopped;
    // A missing or unreadable local file (file:// URIs) will not appear by retrying.
    const code = (err as NodeJS.ErrnoException).code ?? '';
    const missing = local && ['ENOENT', 'EACCES', 'EISDIR'].includes(code);
    const { message, timeout } = describe(err, limits);
    // Node reports a connection dropped mid-body as "other side closed": say how much arrived.
    const cut = !timeout && total !== undefined && received < total;
    throw new DownloadError(cut ? text.cut(received, total) : message, timeout ? 'limit' : missing ? 'unavailable' : 'network');
  } finally {
    clearInterval(watchdog);
  }
  if (total !== undefined && received !== total) throw new DownloadError(text.cut(received, total), 'network');
  return hash.digest('hex');
}

/**
 * Streams `uri` into `dest` and checks its sha256 before anyone reads it. Network
 * errors (and 5xx) are retried with backoff; a wrong checksum, a 4xx or a limit is
 * final. `dest` is removed whenever the download fails.
 */
export async function downloadVerified(uri: string, dest: string, sha256: string, opts: DownloadOptions = {}): Promise<void> {
  const limits = { ...DOWNLOAD_LIMITS, ...opts.limits };
  const delays = opts.retryDelaysMs ?? [1000, 3000, 9000];
  for (let n = 0; ; n++) {
    try {
      const actual = await attempt(uri, dest, opts, limits);
      if (actual !== sha256) throw new DownloadError(text.checksum(sha256, actual), 'checksum');
      return;
    } catch (err) {
      await rm(dest, { force: true });
      if (!(err instanceof DownloadError)) throw err;
      const delay = delays[n];
      if (err.kind !== 'network' || delay === undefined) throw err;
      opts.onRetry?.(n + 1, err, delay);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
