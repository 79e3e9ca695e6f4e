import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
// The lifecycle is the platform, not the build: it runs the buildpack's bin/detect and
// bin/build in pywarp's own process group (not through src/effects/run.ts, which gives each
// command a group of its own), so that Ctrl-C and the signals a terminal or CI sends reach
// them directly, as they would reach the real lifecycle's children.
import { execa } from 'execa';
import { formatBuildpackPlan, parseBuildPlan, type BuildpackPlan } from '../cnb/build-plan.js';
import { EXIT } from '../cnb/exit-codes.js';
import { LifecycleError } from './errors.js';
import { phaseEnvFor, type PhaseContext } from './phase-env.js';
import { resolvePlan } from './plan-resolution.js';

/** "exited with code 3" rather than execa's message, which repeats the whole command line. */
function failure(result: { exitCode?: number | undefined; signal?: string | undefined; shortMessage?: string | undefined }): string {
  if (result.exitCode !== undefined) return `exited with code ${result.exitCode}`;
  if (result.signal !== undefined) return `was killed by ${result.signal}`;
  return `could not run: ${result.shortMessage ?? 'unknown error'}`;
}

function withOutput(text: string, output: string): string {
  return output.trim() ? `${text}\nIts output:\n${output.trimEnd()}` : text;
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
  });
  const output = result.all ?? '';
  if (result.exitCode === EXIT.detectFail) {
    throw new LifecycleError('No buildpack detected', withOutput('bin/detect exited with code 100: the buildpack does not apply to this app.', output), EXIT.detectFail);
  }
  if (result.exitCode !== 0) throw new LifecycleError('bin/detect failed', withOutput(`bin/detect ${failure(result)}.`, output));
  let bpPlan: BuildpackPlan | undefined;
  try {
    bpPlan = resolvePlan(parseBuildPlan(await readFile(planPath, 'utf8')));
  } catch (err) {
    throw new LifecycleError('bin/detect wrote an invalid build plan', withOutput((err as Error).message, output));
  }
  if (!bpPlan) {
    const why = 'No alternative of its build plan requires everything it provides and provides everything it requires.';
    throw new LifecycleError('No buildpack detected', withOutput(why, output), EXIT.detectFail);
  }
  return bpPlan;
}

/** Writes the buildpack plan read-only: bin/build may read it and must not write it. */
export async function writeBuildpackPlan(tempDir: string, bpPlan: BuildpackPlan): Promise<string> {
  const bpPlanPath = path.join(tempDir, 'bp-plan.toml');
  await writeFile(bpPlanPath, formatBuildpackPlan(bpPlan));
  await chmod(bpPlanPath, 0o444);
  return bpPlanPath;
}

/** Runs bin/build with its output streamed through (args `<layers>/<id> <platform> <plan>`). */
export async function runBuild(ctx: PhaseContext, bpLayersDir: string, bpPlanPath: string): Promise<void> {
  const result = await execa(path.join(ctx.buildpackDir, 'bin', 'build'), [bpLayersDir, ctx.platformDir, bpPlanPath], {
    cwd: ctx.appDir,
    env: phaseEnvFor(ctx, { CNB_LAYERS_DIR: bpLayersDir, CNB_BP_PLAN_PATH: bpPlanPath }),
    extendEnv: false,
    stdio: ['ignore', 'inherit', 'inherit'],
    reject: false,
  });
  if (result.failed) throw new LifecycleError('bin/build failed', `bin/build ${failure(result)}. See its output above.`);
}
