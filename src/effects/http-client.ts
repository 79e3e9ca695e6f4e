import { EnvHttpProxyAgent, type Dispatcher } from 'undici';
import type { Env } from '../cnb/env.js';
import { BuildError } from '../output/build-error.js';
import { redactUrls } from '../plan/pip-binding.js';

/** The proxies a build uses, from the build's own settings (never from pywarp's process.env). */
export interface ProxySettings {
  httpProxy: string;
  httpsProxy: string;
  noProxy: string;
}

/** Like curl and pip: the lower-case name wins, an empty value is unset, a bare host:port means http://. */
export function proxySettings(config: Env): ProxySettings {
  const read = (lower: string, upper: string): string => {
    const [name, value] = config[lower] ? [lower, config[lower]] : [upper, config[upper] ?? ''];
    if (!value) return '';
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
    let url: URL | undefined;
    try {
      url = new URL(withScheme);
    } catch {
      url = undefined;
    }
    if (!url || !['http:', 'https:'].includes(url.protocol) || !url.hostname)
      throw new BuildError({ kind: 'proxy-invalid', name, value: redactUrls(value) });
    return withScheme;
  };
  return {
    httpProxy: read('http_proxy', 'HTTP_PROXY'),
    httpsProxy: read('https_proxy', 'HTTPS_PROXY'),
    noProxy: config.no_proxy || config.NO_PROXY || '',
  };
}

/**
 * fetch refuses a URL with credentials (a mirror's `user:token@`): they become a Basic
 * Authorization header instead, as curl and pip send them.
 */
export function splitCredentials(url: URL): { url: URL; authorization?: string } {
  if (!url.username && !url.password) return { url };
  const bare = new URL(url);
  bare.username = '';
  bare.password = '';
  const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return { url: bare, authorization: `Basic ${Buffer.from(pair).toString('base64')}` };
}

export interface ClientTimeouts {
  connectTimeoutMs: number;
  /** For the response headers, and between two chunks of the body. */
  idleTimeoutMs: number;
}

/**
 * HTTP clients for one download, one per scheme: through the configured proxy (undici
 * tunnels with CONNECT, for http:// targets too), bounded by `timeouts`. One proxy per
 * scheme, as pip and curl do: https:// never falls back to HTTP_PROXY, as undici's
 * EnvHttpProxyAgent alone would. Close them when done, so no keep-alive socket outlives
 * the download.
 */
export class HttpClients {
  readonly #clients = new Map<string, Dispatcher>();

  constructor(
    private readonly proxy: ProxySettings,
    private readonly timeouts: ClientTimeouts,
  ) {}

  for(url: URL): Dispatcher {
    let client = this.#clients.get(url.protocol);
    if (!client) {
      // Empty strings, not undefined: undici would fall back to pywarp's own process.env.
      const via = url.protocol === 'https:' ? this.proxy.httpsProxy : this.proxy.httpProxy;
      client = new EnvHttpProxyAgent({
        httpProxy: via,
        httpsProxy: via,
        noProxy: this.proxy.noProxy,
        connectTimeout: this.timeouts.connectTimeoutMs,
        headersTimeout: this.timeouts.idleTimeoutMs,
        bodyTimeout: this.timeouts.idleTimeoutMs,
      });
      this.#clients.set(url.protocol, client);
    }
    return client;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#clients.values()].map((c) => c.destroy()));
  }
}
