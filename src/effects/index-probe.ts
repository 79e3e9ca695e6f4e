import { fetch } from 'undici';
import type { Env } from '../cnb/env.js';
import { HttpClients, proxySettings, splitCredentials } from './http-client.js';

/** The index URLs pip uses, from its settings (its own default when none is set). */
export function indexUrls(pipEnv: Readonly<Record<string, string>>): string[] {
  const extra = (pipEnv.PIP_EXTRA_INDEX_URL ?? '').split(/\s+/).filter(Boolean);
  return [pipEnv.PIP_INDEX_URL || 'https://pypi.org/simple/', ...extra];
}

/**
 * Whether anything answers at `url` (any HTTP status counts, a redirect too: it is not
 * followed), through the proxies `env` names, as pip would reach it. pip reports an index
 * it cannot reach as "from versions: none" when it does not retry, so a failed install is
 * checked against the index before it is called an unknown package.
 */
export async function reachable(url: string, env: Env, timeoutMs = 5000): Promise<boolean> {
  if (!URL.canParse(url)) return false;
  // Any answer counts, a 401 too: the credentials are not needed (and fetch refuses a URL holding them).
  const parsed = splitCredentials(new URL(url)).url;
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return true;
  let clients: HttpClients | undefined;
  try {
    clients = new HttpClients(proxySettings(env), { connectTimeoutMs: timeoutMs, idleTimeoutMs: timeoutMs });
    const res = await fetch(parsed, {
      method: 'HEAD',
      redirect: 'manual',
      dispatcher: clients.for(parsed),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel();
    return true;
  } catch {
    return false;
  } finally {
    await clients?.close();
  }
}
