import type { TestImage } from './pywarp.js';
import { freePort, waitForHttp } from './http.js';
import { stop } from './processes.js';

export interface ServeOptions {
  process?: string;
  env?: Record<string, string>;
  path?: string;
  exitCode?: number;
}

/**
 * uWSGI answers requests before its master has run the hook that makes SIGTERM a graceful
 * shutdown; wait for the hook before stopping it. Other servers print no such line.
 */
async function uwsgiGracefulReady(output: () => string): Promise<void> {
  if (!output().includes('--hook-master-start')) return;
  for (let i = 0; i < 100 && !output().includes('(master-start)...'); i++) await new Promise((r) => setTimeout(r, 100));
}

/** Launches a process on 127.0.0.1, expects `body` from `path`, stops it by its PID and expects exit 0 (or `exitCode`). */
export async function serve(image: TestImage, app: string, body: string, opts: ServeOptions = {}): Promise<string> {
  const port = await freePort();
  const child = image.launch(app, {
    ...(opts.process ? { process: opts.process } : {}),
    env: { PORT: String(port), PYWARP_HOST: '127.0.0.1', ...opts.env },
  });
  let output = '';
  child.all?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  try {
    const answer = await waitForHttp(`http://127.0.0.1:${port}${opts.path ?? '/'}`, 60_000, () => output);
    await uwsgiGracefulReady(() => output);
    expect([answer.status, answer.body]).toEqual([200, expect.stringContaining(body)]);
  } finally {
    const stopped = await stop(child);
    const exitCode = opts.exitCode ?? 0;
    // The whole output on failure: the launcher prints the server's argv, the server its shutdown.
    if (stopped.exitCode !== exitCode) expect(stopped.output).toBe(`exit status ${exitCode}`);
  }
  return output;
}
