import { BUILD_ENV_INCLUDELIST, PATH_LIKE_VARS, pick, prependPath, type Env } from '../cnb/env.js';

export interface PhaseEnvInput {
  /** The environment `pywarp` itself runs with. */
  caller: Env;
  /** `<platform>/env/*`: file name → raw content. */
  platformEnv: Readonly<Record<string, string>>;
  /** buildpack.toml `clear-env`: the buildpack reads `<platform>/env` itself. */
  clearEnv: boolean;
  /** The `CNB_*` variables of the phase; they win over everything else. */
  cnb: Readonly<Record<string, string>>;
}

const PATH_LIKE: readonly string[] = PATH_LIKE_VARS;

/**
 * The environment bin/detect and bin/build run with: only the include-listed variables
 * pass through (so LANG, PIP_* and the like never leak in), then the user's platform env
 * (prepended to PATH-like variables, replacing others), then the phase's CNB variables.
 * Unlike the lifecycle, a prepend to an unset PATH-like variable leaves no trailing ':',
 * which would put the working directory on PATH.
 */
export function phaseEnv(input: PhaseEnvInput): Record<string, string> {
  const env = pick(input.caller, [...BUILD_ENV_INCLUDELIST, ...PATH_LIKE_VARS]);
  if (!input.clearEnv) {
    for (const [name, value] of Object.entries(input.platformEnv)) {
      env[name] = PATH_LIKE.includes(name) ? prependPath(env[name], value) : value;
    }
  }
  return { ...env, ...input.cnb };
}

/** Whether Buildpack API `api` ("0.10") is at least `0.<minor>`. */
function apiAtLeast(api: string, minor: number): boolean {
  const [major = 0, min = 0] = api.split('.').map(Number);
  return major > 0 || min >= minor;
}

/** The variables the lifecycle gives only to newer buildpacks: targets from 0.10, exec env from 0.12. */
export function apiGatedVars(api: string, target: Readonly<Record<string, string>>): Record<string, string> {
  return {
    ...(apiAtLeast(api, 10) ? target : {}),
    // pack passes its --exec-env default, "production".
    ...(apiAtLeast(api, 12) ? { CNB_EXEC_ENV: 'production' } : {}),
  };
}

/** What detect and build share: where things are, and the inputs of their environment. */
export interface PhaseContext {
  appDir: string;
  buildpackDir: string;
  platformDir: string;
  api: string;
  clearEnv: boolean;
  caller: Env;
  platformEnv: Readonly<Record<string, string>>;
  /** `CNB_TARGET_*` of this machine. */
  target: Readonly<Record<string, string>>;
  /** Aborted when pywarp is told to stop: the running phase is ended with SIGTERM. */
  stop?: AbortSignal;
}

/** The full environment of one phase, given its own `CNB_*` variables. */
export function phaseEnvFor(ctx: PhaseContext, vars: Readonly<Record<string, string>>): Record<string, string> {
  return phaseEnv({
    caller: ctx.caller,
    platformEnv: ctx.platformEnv,
    clearEnv: ctx.clearEnv,
    cnb: { ...apiGatedVars(ctx.api, ctx.target), CNB_BUILDPACK_DIR: ctx.buildpackDir, CNB_PLATFORM_DIR: ctx.platformDir, ...vars },
  });
}
