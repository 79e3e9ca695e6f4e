import path from 'node:path';
import { bindingsOfType, type Binding } from '../cnb/bindings.js';
import { BuildError } from '../output/build-error.js';

/** The binding's index URL, or a titled error: a malformed one is shown with what may be secret hidden. */
function indexUrl(binding: Binding, value: string): URL {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url && (url.protocol === 'http:' || url.protocol === 'https:')) return url;
  throw new BuildError({ kind: 'pip-binding-invalid', binding: binding.name, entry: 'index-url', value: redactMalformedUrl(value) });
}

/**
 * pip settings from a binding of type `pip`: a `pip.conf` entry, or `index-url`
 * (with optional `username`/`password`), `extra-index-url` and `trusted-host`.
 * They go only into the environment of pip during the build, never into a layer.
 */
export function pipBindingEnv(bindings: readonly Binding[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const b of bindingsOfType(bindings, 'pip')) {
    if ('pip.conf' in b.entries) env.PIP_CONFIG_FILE = path.join(b.path, 'pip.conf');
    const index = b.entries['index-url'];
    if (index) {
      const url = indexUrl(b, index);
      if (b.entries.username) url.username = encodeURIComponent(b.entries.username);
      if (b.entries.password) url.password = encodeURIComponent(b.entries.password);
      env.PIP_INDEX_URL = url.toString();
    }
    if (b.entries['extra-index-url']) env.PIP_EXTRA_INDEX_URL = b.entries['extra-index-url'];
    if (b.entries['trusted-host']) env.PIP_TRUSTED_HOST = b.entries['trusted-host'];
  }
  return env;
}

/**
 * Strips what may be a secret from URLs in text shown or stored: userinfo in any form
 * (`user:pass@`, `:token@`, `token@`) and query strings (`?token=…`, signed URLs), also
 * of a bare path (pip's retry warnings name only the path: `': /simple/?token=…/flask/`).
 */
export function redactUrls(text: string): string {
  return text
    .replace(
      // The lookbehind starts a scheme only where a run of scheme characters starts: linear on long dotted words.
      /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/)([^\s/?#]*@)?([^\s?#]*)(\?[^\s#'"]*)?/gi,
      (_all, scheme: string, userinfo?: string, rest = '', query?: string) =>
        `${scheme}${userinfo ? '***@' : ''}${rest}${query ? '?***' : ''}`,
    )
    .replace(/(^|[\s'"(=])(\/[^\s?#'"]*)\?[^\s#'"]*/g, (_all, before: string, path: string) => `${before}${path}?***`);
}

/** redactUrls for text that may not parse as a URL: anything before an "@", and any query, is hidden too. */
export function redactMalformedUrl(text: string): string {
  return redactUrls(text)
    .replace(/[^\s/@]*@/g, '***@')
    .replace(/\?.*$/, '?***');
}
