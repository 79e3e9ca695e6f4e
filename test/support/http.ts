import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A port nothing listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface HttpAnswer {
  status: number;
  body: string;
  server: string | null;
}

export async function get(url: string, timeoutMs = 10_000): Promise<HttpAnswer> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return { status: res.status, body: await res.text(), server: res.headers.get('server') };
}

/** Polls `url` until it answers (any status), at most `timeoutMs`; throws with `why()` if it never does. */
export async function waitForHttp(url: string, timeoutMs: number, why: () => string): Promise<HttpAnswer> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      return await get(url, 2000);
    } catch {
      await sleep(200);
    }
  }
  throw new Error(`nothing answered at ${url} within ${timeoutMs} ms\n${why()}`);
}
