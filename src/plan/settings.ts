import type { Env } from '../cnb/env.js';

/**
 * Every variable pywarp reads, with where it is read. buildpack.toml's
 * [[metadata.configurations]] documents each (a test keeps the two equal, and README's
 * table equal to buildpack.toml). `<HOST>`/`<OPTION>` stand for a family of names.
 */
export const SETTINGS = {
  BP_CPYTHON_VERSION: { build: true, launch: false },
  BP_PIP_REQUIREMENT: { build: true, launch: false },
  BP_PYTHON_INSTALLER: { build: true, launch: false },
  BP_PYTHON_SERVER: { build: true, launch: false },
  BP_PYTHON_STATIC: { build: true, launch: false },
  BP_WSGI_MODULE: { build: true, launch: false },
  BP_WSGI_CALLABLE: { build: true, launch: false },
  BP_ASGI_MODULE: { build: true, launch: false },
  BP_DJANGO_INTERFACE: { build: true, launch: false },
  APP_MODULE: { build: true, launch: false },
  APP_FILE: { build: true, launch: false },
  APP_SCRIPT: { build: true, launch: false },
  APP_HOME: { build: true, launch: false },
  BP_DISABLE_COLLECTSTATIC: { build: true, launch: false },
  DISABLE_COLLECTSTATIC: { build: true, launch: false },
  BP_APP_COMMAND_TIMEOUT: { build: true, launch: false },
  BP_PIP_INSTALL_TIMEOUT: { build: true, launch: false },
  BP_DEPENDENCY_MIRROR: { build: true, launch: false },
  'BP_DEPENDENCY_MIRROR_<HOST>': { build: true, launch: false },
  BP_LOG_LEVEL: { build: true, launch: false },
  HTTPS_PROXY: { build: true, launch: false },
  HTTP_PROXY: { build: true, launch: false },
  NO_PROXY: { build: true, launch: false },
  PIP_INDEX_URL: { build: true, launch: false },
  PIP_EXTRA_INDEX_URL: { build: true, launch: false },
  PIP_FIND_LINKS: { build: true, launch: false },
  PIP_TRUSTED_HOST: { build: true, launch: false },
  SERVICE_BINDING_ROOT: { build: true, launch: false },
  PORT: { build: false, launch: true },
  PYWARP_HOST: { build: false, launch: true },
  PYWARP_SERVER_TYPE: { build: false, launch: true },
  WARPDRIVE_SERVER_TYPE: { build: false, launch: true },
  WEB_CONCURRENCY: { build: false, launch: true },
  GUNICORN_CMD_ARGS: { build: false, launch: true },
  'UWSGI_<OPTION>': { build: false, launch: true },
  'MOD_WSGI_<OPTION>': { build: false, launch: true },
  FORWARDED_ALLOW_IPS: { build: false, launch: true },
  PYWARP_STOP_TIMEOUT: { build: false, launch: true },
  PYTHONUNBUFFERED: { build: true, launch: true },
} as const satisfies Record<string, { build: boolean; launch: boolean }>;

export type SettingName = keyof typeof SETTINGS;

/**
 * The buildpack's settings: the build environment, falling back to `<platform>/env`
 * files so that settings still arrive when a platform clears the environment.
 */
export function mergeConfig(env: Env, platformEnv: Readonly<Record<string, string>>): Env {
  return { ...platformEnv, ...env };
}

/** A build setting's value, or undefined when it is unset or empty. */
export function setting(config: Env, name: SettingName): string | undefined {
  const value = config[name]?.trim();
  return value ? value : undefined;
}

/** pip's own settings (PIP_*) a user gives the build; PIP_CACHE_DIR is pywarp's. */
export function userPipSettings(env: Env): [string, string][] {
  return Object.entries(env)
    .filter(([k]) => k.startsWith('PIP_') && k !== 'PIP_CACHE_DIR')
    .sort(([a], [b]) => (a < b ? -1 : 1));
}

/**
 * The platform variables (`pack build --env`) that the app's build steps see (pip, collectstatic,
 * hooks): all but pywarp's own settings, pip's (pip gets those itself) and the lifecycle's.
 */
export function appBuildVars(platformEnv: Env): Record<string, string> {
  const own = new Set<string>(
    Object.keys(SETTINGS).filter((name) => SETTINGS[name as SettingName].build && !SETTINGS[name as SettingName].launch),
  );
  return Object.fromEntries(
    Object.entries(platformEnv).filter(([k]) => !own.has(k) && !k.startsWith('BP_') && !k.startsWith('PIP_') && !k.startsWith('CNB_')),
  );
}

/** The variables a requirements file expands with pip's `${NAME}` syntax: their values change what pip installs. */
export function expandedVars(texts: Iterable<string>): string[] {
  const names = new Set<string>();
  for (const text of texts) for (const m of text.matchAll(/\$\{([A-Z0-9_]+)\}/g)) if (m[1]) names.add(m[1]);
  return [...names].sort();
}

/** The environment without any of pip's settings, for steps that run the app's code. */
export function withoutPipSettings(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('PIP_')));
}
