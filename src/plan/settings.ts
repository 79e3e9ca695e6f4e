import type { Env } from '../cnb/env.js';

/**
 * The buildpack's settings: the build environment, falling back to `<platform>/env`
 * files so that settings still arrive when a platform clears the environment.
 */
export function mergeConfig(env: Env, platformEnv: Readonly<Record<string, string>>): Env {
  return { ...platformEnv, ...env };
}

/** A setting's value, or undefined when it is unset or empty. */
export function setting(config: Env, name: string): string | undefined {
  const value = config[name]?.trim();
  return value ? value : undefined;
}
