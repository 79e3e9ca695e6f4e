import http from 'node:http';
import https from 'node:https';

/** The index URLs pip uses, from its settings (its own default when none is set). */
export function indexUrls(pipEnv: Readonly<Record<string, string>>): string[] {
  const extra = (pipEnv.PIP_EXTRA_INDEX_URL ?? '').split(/\s+/).filter(Boolean);
  return [pipEnv.PIP_INDEX_URL || 'https://pypi.org/simple/', ...extra];
}

/**
 * Whether anything answers at `url` (any HTTP status counts). pip reports an index it
 * cannot reach as "from versions: none" when it does not retry, so a failed install is
 * checked against the index before it is called an unknown package.
 */
export function reachable(url: string, timeoutMs = 5000): Promise<boolean> {
  return new Promise((resolve) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      resolve(false);
      return;
    }
    const client = parsed.protocol === 'https:' ? https : parsed.protocol === 'http:' ? http : undefined;
    if (!client) {
      resolve(true);
      return;
    }
    const req = client.request(parsed, { method: 'HEAD', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
    req.end();
  });
}
