/** An environment as a plain immutable map, passed explicitly to every subprocess. */
export type Env = Readonly<Record<string, string>>;

/** A POSIX environment variable name, as the lifecycle accepts in env files and exec.d output. */
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Variables the real lifecycle passes from its own environment to detect and build (lc:env/build.go). */
export const BUILD_ENV_INCLUDELIST = [
  'HOME',
  'HOSTNAME',
  'HTTPS_PROXY',
  'https_proxy',
  'HTTP_PROXY',
  'http_proxy',
  'NO_PROXY',
  'no_proxy',
  'CNB_STACK_ID',
] as const;

/** PATH-like variables: passed through too, and platform env files prepend to them. */
export const PATH_LIKE_VARS = ['PATH', 'LD_LIBRARY_PATH', 'LIBRARY_PATH', 'CPATH', 'PKG_CONFIG_PATH'] as const;

export function pick(env: NodeJS.ProcessEnv | Env, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = env[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** Prepends `value` to a delimited variable, leaving it unset-safe. */
export function prependPath(current: string | undefined, value: string, delim = ':'): string {
  return current ? `${value}${delim}${current}` : value;
}
