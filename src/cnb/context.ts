import type { Env } from './env.js';

/** The run image the app is built for (`CNB_TARGET_*`, Buildpack API 0.10). */
export interface Target {
  os: string;
  arch: string;
  archVariant?: string;
  distroName?: string;
  distroVersion?: string;
}

export interface DetectContext {
  appDir: string;
  buildpackDir: string;
  platformDir: string;
  planPath: string;
  target: Target;
  /** `CNB_EXEC_ENV` (API 0.12); unset means "production". */
  env: Env;
}

export interface BuildContext extends Omit<DetectContext, 'planPath'> {
  /** This buildpack's layers directory, `<layers>/<escaped id>`. */
  layersDir: string;
  bpPlanPath: string;
}

export class ContextError extends Error {}

/** Node's names for CPU architectures → the OCI names of `CNB_TARGET_ARCH`. */
const OCI_ARCH: Readonly<Record<string, string>> = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' };

export function ociArch(nodeArch: string): string {
  return OCI_ARCH[nodeArch] ?? nodeArch;
}

function required(env: Env, name: string, positional: string | undefined): string {
  const value = env[name] || positional;
  if (!value) throw new ContextError(`${name} is not set and no positional argument gives it`);
  return value;
}

export function readTarget(env: Env): Target {
  const optional = (name: string) => (env[name] ? env[name] : undefined);
  const target: Target = { os: env.CNB_TARGET_OS || 'linux', arch: env.CNB_TARGET_ARCH || 'amd64' };
  const archVariant = optional('CNB_TARGET_ARCH_VARIANT');
  const distroName = optional('CNB_TARGET_DISTRO_NAME');
  const distroVersion = optional('CNB_TARGET_DISTRO_VERSION');
  return {
    ...target,
    ...(archVariant ? { archVariant } : {}),
    ...(distroName ? { distroName } : {}),
    ...(distroVersion ? { distroVersion } : {}),
  };
}

/** `CNB_*` variables are authoritative; the deprecated positional arguments are a fallback (spec D4). */
export function readDetectContext(env: Env, argv: readonly string[], cwd: string): DetectContext {
  return {
    appDir: cwd,
    buildpackDir: required(env, 'CNB_BUILDPACK_DIR', undefined),
    platformDir: required(env, 'CNB_PLATFORM_DIR', argv[0]),
    planPath: required(env, 'CNB_BUILD_PLAN_PATH', argv[1]),
    target: readTarget(env),
    env,
  };
}

export function readBuildContext(env: Env, argv: readonly string[], cwd: string): BuildContext {
  return {
    appDir: cwd,
    buildpackDir: required(env, 'CNB_BUILDPACK_DIR', undefined),
    layersDir: required(env, 'CNB_LAYERS_DIR', argv[0]),
    platformDir: required(env, 'CNB_PLATFORM_DIR', argv[1]),
    bpPlanPath: required(env, 'CNB_BP_PLAN_PATH', argv[2]),
    target: readTarget(env),
    env,
  };
}
