import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** One request's fate: when its last byte was handed to the kernel (if it ever was), and how it ended. */
export interface Sent {
  writtenAt?: number;
  status?: number;
  error?: string;
}

/**
 * GET on a fresh connection (no agent, `Connection: close`), so every request is a new
 * accept() on the server. `writtenAt` (performance.now()) comes from 'finish', which Node
 * emits only once the request is written to a connected socket.
 */
export function getOnce(url: string, timeoutMs: number): Promise<Sent> {
  return new Promise((resolve) => {
    let writtenAt: number | undefined;
    const done = (r: Omit<Sent, 'writtenAt'>) => resolve(writtenAt === undefined ? r : { writtenAt, ...r });
    const req = http.request(url, { agent: false, headers: { Connection: 'close' } }, (res) => {
      res.resume();
      res.on('end', () => done({ status: res.statusCode ?? 0 }));
      res.on('error', (err: NodeJS.ErrnoException) => done({ error: err.code ?? err.message }));
    });
    req.on('finish', () => {
      writtenAt = performance.now();
    });
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('no answer'), { code: 'TIMEOUT' })));
    req.on('error', (err: NodeJS.ErrnoException) => done({ error: err.code ?? err.message }));
    req.end();
  });
}

/**
 * `workers` clients, each sending one request after another until `done()` or `maxMs`.
 * After a failure a client waits a little, so a stopped server is not hammered in a busy loop.
 */
export async function closedLoop(
  url: string,
  opts: { workers: number; done: () => boolean; maxMs: number; timeoutMs?: number },
): Promise<Sent[]> {
  const results: Sent[] = [];
  const deadline = performance.now() + opts.maxMs;
  await Promise.all(
    Array.from({ length: opts.workers }, async () => {
      while (!opts.done() && performance.now() < deadline) {
        const sent = await getOnce(url, opts.timeoutMs ?? 10_000);
        results.push(sent);
        if (sent.error) await sleep(20);
      }
    }),
  );
  return results;
}

/** Outcome → count, e.g. { '200': 52, ECONNREFUSED: 31 }. */
export function tally(results: readonly Sent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results) {
    const key = r.error ?? String(r.status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
