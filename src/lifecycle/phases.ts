import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
// The lifecycle is the platform, not the build: it runs the buildpack's bin/detect and
// bin/build in pywarp's own process group (not through src/effects/run.ts, which gives each
// command a group of its own), so that Ctrl-C and the signals a terminal or CI sends reach
// them directly, as they would reach the real lifecycle's children.
import { execa } from 'execa';
import { formatBuildpackPlan, parseBuildPlan, type BuildpackPlan } from '../cnb/build-plan.js';
import { EXIT } from '../cnb/exit-codes.js';
import { BuildError } from '../output/build-error.js';
import type { PhaseEnd } from '../output/failures.js';
import { shortCause } from '../output/render-error.js';
import { parentFd } from './build-lock.js';
import { phaseEnvFor, type PhaseContext } from './phase-env.js';
import { resolvePlan } from './plan-resolution.js';

function phaseEnd(result: { exitCode?: number | undefined; signal?: string | undefined; shortMessage?: string | undefined }): PhaseEnd {
  if (result.exitCode !== undefined) return { exitCode: result.exitCode };
  if (result.signal !== undefined) return { signal: result.signal };
  return { error: result.shortMessage ?? 'unknown error' };
}

/**
 * Runs bin/detect the way the lifecycle does (no shell, cwd = app, positional args
 * `<platform> <plan>`, a fresh empty plan file) and resolves its plan. Exit 100 and a plan
 * that does not resolve both mean "no buildpack detected"; anything else is an error.
 */
export async function detect(ctx: PhaseContext, tempDir: string): Promise<BuildpackPlan> {
  const planPath = path.join(tempDir, 'plan.toml');
  await writeFile(planPath, '', { mode: 0o600 });
  const result = await execa(path.join(ctx.buildpackDir, 'bin', 'detect'), [ctx.platformDir, planPath], {
    cwd: ctx.appDir,
    env: phaseEnvFor(ctx, { CNB_BUILD_PLAN_PATH: planPath }),
    extendEnv: false,
    stdin: 'ignore',
    all: true,
    reject: false,
    ...(ctx.stop ? { cancelSignal: ctx.stop } : {}),
  });
  ctx.stop?.throwIfAborted();
  const output = result.all ?? '';
  if (result.exitCode === EXIT.detectFail) {
    throw new BuildError({ kind: 'detect-opted-out', output });
  }
  if (result.exitCode !== 0) throw new BuildError({ kind: 'detect-failed', end: phaseEnd(result), output });
  let bpPlan: BuildpackPlan | undefined;
  try {
    bpPlan = resolvePlan(parseBuildPlan(await readFile(planPath, 'utf8')));
  } catch (err) {
    throw new BuildError({ kind: 'detect-plan-invalid', detail: shortCause(err), output });
  }
  if (!bpPlan) throw new BuildError({ kind: 'detect-plan-unmet', output });
  return bpPlan;
}

/** Writes the buildpack plan read-only: bin/build may read it and must not write it. */
export async function writeBuildpackPlan(tempDir: string, bpPlan: BuildpackPlan): Promise<string> {
  const bpPlanPath = path.join(tempDir, 'bp-plan.toml');
  await writeFile(bpPlanPath, formatBuildpackPlan(bpPlan));
  await chmod(bpPlanPath, 0o444);
  return bpPlanPath;
}

/**
 * Runs bin/build with its output streamed through (args `<layers>/<id> <platform> <plan>`).
 * `lockFd`, the build's lock, is passed on (as fd 3): if pywarp alone is killed, the lock
 * stays held until bin/build and what it started have ended too.
 */
export async function runBuild(ctx: PhaseContext, bpLayersDir: string, bpPlanPath: string, lockFd?: number): Promise<void> {
  const result = await execa(path.join(ctx.buildpackDir, 'bin', 'build'), [bpLayersDir, ctx.platformDir, bpPlanPath], {
    cwd: ctx.appDir,
    env: phaseEnvFor(ctx, { CNB_LAYERS_DIR: bpLayersDir, CNB_BP_PLAN_PATH: bpPlanPath }),
    extendEnv: false,
    stdio: lockFd === undefined ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'inherit', 'inherit', parentFd(lockFd)],
    reject: false,
    ...(ctx.stop ? { cancelSignal: ctx.stop } : {}),
  });
  ctx.stop?.throwIfAborted();
  if (result.failed) throw new BuildError({ kind: 'build-failed', end: phaseEnd(result) });
}
