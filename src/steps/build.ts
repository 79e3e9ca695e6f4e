import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { installCpython } from '../../layers/cpython.js';
import { preparePipCache } from '../../layers/pip-cache.js';
import { installVenv } from '../../layers/venv.js';
import { readBindings } from '../cnb/bindings.js';
import { parseBuildpackToml } from '../cnb/buildpack-toml.js';
import { ociArch, readBuildContext, type BuildContext } from '../cnb/context.js';
import type { Env } from '../cnb/env.js';
import { EXIT } from '../cnb/exit-codes.js';
import { applyLayerEnvs } from '../cnb/layer-env.js';
import { readPlatformEnv } from '../cnb/platform.js';
import { buildStepEnv } from '../effects/pip-env.js';
import { readApp } from '../effects/read-app.js';
import { BuildError } from '../output/build-error.js';
import { createLog, systemClock, type Clock, type Log } from '../output/log.js';
import { cpython, dependencies, INTERNAL_ERROR_FOOTER } from '../output/messages.js';
import { appReads, planBuild } from '../plan/build-plan.js';
import { readDependencies } from '../plan/cpython-table.js';
import { pipBindingEnv } from '../plan/pip-binding.js';
import { planProcesses } from '../plan/processes.js';
import { appBuildVars, mergeConfig, withoutPipSettings } from '../plan/settings.js';
import { generateStaticFiles } from './django-static.js';
import { setLaunchProcesses, warnNoStart } from './launch-processes.js';
import { logEntryPoint, logInstallPlan, logPythonPlan } from './plan-log.js';

function reportError(log: Log, err: unknown): void {
  if (err instanceof BuildError) {
    log.error(err.title, err.attribution === 'internal' ? `${err.body}\n\n${INTERNAL_ERROR_FOOTER}` : err.body);
  } else {
    const e = err as Error;
    log.error('Internal error', `${e.stack ?? e.message}\n\n${INTERNAL_ERROR_FOOTER}`);
  }
}

/** Reads everything the decisions need, once, and makes them all before any layer is touched. */
async function analyze(ctx: BuildContext) {
  const descriptor = parseBuildpackToml(await readFile(path.join(ctx.buildpackDir, 'buildpack.toml'), 'utf8'));
  const platformEnv = await readPlatformEnv(ctx.platformDir);
  const config = mergeConfig(ctx.env, platformEnv);
  const bindings = await readBindings(ctx.env, ctx.platformDir);
  const app = await readApp(ctx.appDir, (a) => appReads(a, config));
  const pinned = (key: string, fallback: string) => (typeof descriptor.metadata[key] === 'string' ? descriptor.metadata[key] : fallback);
  const facts = { cpythonTable: readDependencies(descriptor.metadata), defaultServer: pinned('default-server', 'gunicorn'), defaultStatic: pinned('default-static', 'whitenoise') };
  const plan = planBuild(app, config, facts, ctx.target);
  return { config, bindings, plan, appVars: appBuildVars(platformEnv) };
}

/** Where the build log goes and where its durations come from (tests inject both). */
export interface BuildIo { write: (text: string) => void; clock: Clock }

const STDOUT: BuildIo = { write: (text) => process.stdout.write(text), clock: systemClock };

export async function runBuild(env: Env, argv: readonly string[], cwd: string, io: BuildIo = STDOUT): Promise<number> {
  const { write } = io;
  const log = createLog(write, io.clock);
  try {
    const ctx = readBuildContext(env, argv, cwd);
    const { config, bindings, plan, appVars } = await analyze(ctx);
    logPythonPlan(log, plan.python, ctx.target.arch);
    logEntryPoint(log, plan.entry);

    log.header(cpython.header);
    const runtime = await installCpython({
      layersDir: ctx.layersDir, dependency: plan.python.dependency, target: ctx.target, config, bindings, log,
      canRunTarget: ociArch(process.arch) === ctx.target.arch,
    });

    log.header(dependencies.header);
    logInstallPlan(log, plan.install);
    const { version, sha256 } = plan.python.dependency;
    const venv = await installVenv({
      layersDir: ctx.layersDir, appDir: ctx.appDir, target: ctx.target, log, write,
      python: { layerPath: runtime.path, version, sha256 },
      install: plan.install, server: plan.server, statics: plan.statics,
      env: buildStepEnv(config, appVars, [runtime.env]),
      pip: { config, bindingEnv: pipBindingEnv(bindings), cachePath: await preparePipCache(ctx.layersDir, version, ctx.target.arch, log) },
    });

    // Later steps run the app's code: they get no pip settings (nor any credentials).
    const runEnv = withoutPipSettings(applyLayerEnvs(buildStepEnv(config, appVars, [runtime.env]), [venv.env]));
    const statics = plan.django
      ? await generateStaticFiles(plan.django.project, { appDir: path.join(ctx.appDir, plan.django.home ?? ''), env: runEnv, config, log, write })
      : undefined;
    if (plan.entry.kind === 'none') {
      warnNoStart(log, plan.entry.nonExecutableAppSh);
      return EXIT.ok;
    }
    await setLaunchProcesses({
      layersDir: ctx.layersDir, buildpackDir: ctx.buildpackDir, appDir: ctx.appDir, venvDir: venv.path, cpythonDir: runtime.path,
      plan: planProcesses(plan.entry, venv.distributions, plan.server, statics), server: plan.server, runEnv, log,
    });
    return EXIT.ok;
  } catch (err) {
    reportError(log, err);
    return EXIT.error;
  }
}
