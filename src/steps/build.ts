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
import { createLog, systemClock, type Clock, type Log } from '../output/log.js';
import { cpython, dependencies } from '../output/messages.js';
import { debugRequested, renderError } from '../output/render-error.js';
import { appReads, planBuild } from '../plan/build-plan.js';
import { readDependencies } from '../plan/cpython-table.js';
import { pipBindingEnv } from '../plan/pip-binding.js';
import { planProcesses } from '../plan/processes.js';
import { appBuildVars, mergeConfig, withoutPipSettings } from '../plan/settings.js';
import { generateStaticFiles } from './django-static.js';
import { runBuildHook, sourceEnvHook } from './hooks.js';
import { setLaunchProcesses, warnNoStart } from './launch-processes.js';
import { logEntryPoint, logInstallPlan, logPythonPlan } from './plan-log.js';

function reportError(log: Log, err: unknown, env: Env): void {
  const { title, body } = renderError(err, { debug: debugRequested(env) });
  log.error(title, body);
}

/** Reads everything the decisions need, once, and makes them all before any layer is touched. */
async function analyze(ctx: BuildContext) {
  const descriptor = parseBuildpackToml(await readFile(path.join(ctx.buildpackDir, 'buildpack.toml'), 'utf8'));
  const platformEnv = await readPlatformEnv(ctx.platformDir);
  const config = mergeConfig(ctx.env, platformEnv);
  const bindings = await readBindings(ctx.env, ctx.platformDir);
  const app = await readApp(ctx.appDir, (a) => appReads(a, config));
  const pinned = (key: string, fallback: string) => (typeof descriptor.metadata[key] === 'string' ? descriptor.metadata[key] : fallback);
  const facts = {
    cpythonTable: readDependencies(descriptor.metadata),
    defaultServers: { wsgi: pinned('default-server', 'gunicorn'), asgi: pinned('default-asgi-server', 'uvicorn') },
    defaultStatic: pinned('default-static', 'whitenoise'),
  };
  const plan = planBuild(app, config, facts, ctx.target);
  // a malformed pip binding fails here, before anything is installed
  return { config, bindings, pipBinding: pipBindingEnv(bindings), plan, appVars: appBuildVars(platformEnv) };
}

/** Where the build log goes and where its durations come from (tests inject both). */
export interface BuildIo {
  write: (text: string) => void;
  clock: Clock;
}

const STDOUT: BuildIo = { write: (text) => process.stdout.write(text), clock: systemClock };

export async function runBuild(env: Env, argv: readonly string[], cwd: string, io: BuildIo = STDOUT): Promise<number> {
  const { write } = io;
  const log = createLog(write, io.clock);
  try {
    const ctx = readBuildContext(env, argv, cwd);
    const { config, bindings, pipBinding, plan, appVars } = await analyze(ctx);
    logPythonPlan(log, plan.python, ctx.target.arch);
    logEntryPoint(log, plan.entry, plan.hooks);

    log.header(cpython.header);
    const runtime = await installCpython({
      layersDir: ctx.layersDir,
      dependency: plan.python.dependency,
      target: ctx.target,
      config,
      bindings,
      log,
      canRunTarget: ociArch(process.arch) === ctx.target.arch,
    });

    const { hooks } = plan.hooks;
    const hookRun = (stepEnv: Env) => ({ appDir: ctx.appDir, env: stepEnv, log, write, timeoutMs: plan.appCommandTimeoutMs });
    let stepEnv = buildStepEnv(config, { ...plan.hooks.environment, ...appVars }, [runtime.env]);
    if (hooks['build-env']) stepEnv = { ...stepEnv, ...(await sourceEnvHook(hooks['build-env'], hookRun(withoutPipSettings(stepEnv)))) };
    if (hooks['pre-build']) await runBuildHook(hooks['pre-build'], hookRun(withoutPipSettings(stepEnv)));

    log.header(dependencies.header);
    logInstallPlan(log, plan.install);
    const { version, sha256 } = plan.python.dependency;
    const venv = await installVenv({
      layersDir: ctx.layersDir,
      appDir: ctx.appDir,
      target: ctx.target,
      log,
      write,
      timeoutMs: plan.pipInstallTimeoutMs,
      python: { layerPath: runtime.path, version, sha256 },
      install: plan.install,
      server: plan.server,
      statics: plan.statics,
      env: stepEnv,
      pip: { config, bindingEnv: pipBinding, cache: await preparePipCache(ctx.layersDir, version, ctx.target.arch, log) },
    });

    // Later steps run the app's code: they get no pip settings (nor any credentials).
    const runEnv = withoutPipSettings(applyLayerEnvs(stepEnv, [venv.env]));
    if (hooks.build) await runBuildHook(hooks.build, hookRun(runEnv));
    const statics = plan.django
      ? await generateStaticFiles(plan.django.project, {
          appDir: path.join(ctx.appDir, plan.django.home ?? ''),
          env: runEnv,
          config,
          log,
          write,
          timeoutMs: plan.appCommandTimeoutMs,
        })
      : undefined;
    if (plan.entry.kind === 'none') warnNoStart(log, plan.entry.nonExecutableAppSh);
    if (plan.entry.kind !== 'none' || Object.keys(plan.hooks.processes).length > 0) {
      await setLaunchProcesses({
        layersDir: ctx.layersDir,
        buildpackDir: ctx.buildpackDir,
        appDir: ctx.appDir,
        venvDir: venv.path,
        cpythonDir: runtime.path,
        plan: planProcesses(plan.entry, venv.distributions, plan.server, statics, plan.hooks),
        server: plan.server,
        runEnv,
        log,
        timeoutMs: plan.appCommandTimeoutMs,
      });
    }
    log.finish();
    return EXIT.ok;
  } catch (err) {
    reportError(log, err, env);
    return EXIT.error;
  }
}
