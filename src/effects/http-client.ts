import { EnvHttpProxyAgent, type Dispatcher } from 'undici';
import type { Env } from '../cnb/env.js';
import { proxies as msg } from '../output/messages.js';
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
    if (!url || !['http:', 'https:'].includes(url.protocol) || !url.hostname) throw msg.invalid(name, redactUrls(value));
    return withScheme;
  };
  return {
    httpProxy: read('http_proxy', 'HTTP_PROXY'),
    httpsProxy: read('https_proxy', 'HTTPS_PROXY'),
    noProxy: config.no_proxy || config.NO_PROXY || '',
  };
}

export interface ClientTimeouts {
  connectTimeoutMs: number;
  /** For the response headers, and between two chunks of the body. */
  idleTimeoutMs: number;
}

/**
 * An HTTP client for one download: through the configured proxies (undici tunnels with
 * CONNECT, for http:// targets too), bounded by `timeouts`. Close it when done, so no
 * keep-alive socket outlives the download.
 */
export function httpClient(proxy: ProxySettings, timeouts: ClientTimeouts): Dispatcher {
  // Empty strings, not undefined: undici would fall back to pywarp's own process.env.
  return new EnvHttpProxyAgent({
    ...proxy,
    connectTimeout: timeouts.connectTimeoutMs,
    headersTimeout: timeouts.idleTimeoutMs,
    bodyTimeout: timeouts.idleTimeoutMs,
  });
}
