import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { installCpython, cpythonEnv } from '../../layers/cpython.js';
import { preparePipCache } from '../../layers/pip-cache.js';
import { installVenv, VENV_LAYER } from '../../layers/venv.js';
import { analyzeInstall } from '../plan/install.js';
import { readAppFiles, withSources } from '../effects/read-app.js';
import { BuildError } from '../output/build-error.js';
import { checkEnvironment } from '../plan/checks.js';
import { readBindings } from '../cnb/bindings.js';
import { parseBuildpackToml } from '../cnb/buildpack-toml.js';
import { ociArch, readBuildContext, type BuildContext } from '../cnb/context.js';
import type { Env } from '../cnb/env.js';
import { EXIT } from '../cnb/exit-codes.js';
import { readPlatformEnv } from '../cnb/platform.js';
import { mergeConfig, setting } from '../plan/settings.js';
import { readDependencies } from '../plan/cpython-table.js';
import { chooseEntryPoint, entryPointSources } from '../plan/entry-point.js';
import { createLog, type Log } from '../output/log.js';
import { cpython, dependencies, entryPoint, INTERNAL_ERROR_FOOTER, pythonVersion } from '../output/messages.js';
import { pipBindingEnv } from '../plan/pip-binding.js';
import { pipEnvironment } from '../effects/pip-env.js';
import { logPythonPlan, planPython } from '../plan/python.js';
import { checkServerSetting, serverToAdd } from '../plan/server.js';
import { generateStaticFiles } from './django-static.js';
import { setLaunchProcesses } from './launch-processes.js';
import { planProcesses } from '../plan/processes.js';
import { appCommandTimeoutMs } from '../plan/app-timeout.js';

function reportError(log: Log, err: unknown): void {
  if (err instanceof BuildError) {
    log.error(err.title, err.attribution === 'internal' ? `${err.body}\n\n${INTERNAL_ERROR_FOOTER}` : err.body);
  } else {
    const e = err as Error;
    log.error('Internal error', `${e.stack ?? e.message}\n\n${INTERNAL_ERROR_FOOTER}`);
  }
}

/** Reads the app and decides everything that can be decided, before any layer is touched. */
async function analyze(ctx: BuildContext, log: Log) {
  const descriptor = parseBuildpackToml(await readFile(path.join(ctx.buildpackDir, 'buildpack.toml'), 'utf8'));
  const config = mergeConfig(ctx.env, await readPlatformEnv(ctx.platformDir));
  checkEnvironment(config);
  checkServerSetting(setting(config, 'BP_PYTHON_SERVER'));
  const bindings = await readBindings(ctx.env, ctx.platformDir);
  const top = await readAppFiles(ctx.appDir);
  const app = await withSources(top, (a) => entryPointSources(a, config));

  log.header(pythonVersion.header);
  const python = planPython(app, config, readDependencies(descriptor.metadata), ctx.target);
  logPythonPlan(log, python, ctx.target.arch);

  log.header(entryPoint.header);
  const entry = chooseEntryPoint(app, config);
  log.info(entry.reason);
  const install = await analyzeInstall(app, config);
  const defaultServer = typeof descriptor.metadata['default-server'] === 'string' ? descriptor.metadata['default-server'] : 'gunicorn';
  return { config, bindings, app, python, entry, install, defaultServer };
}

export async function runBuild(env: Env, argv: readonly string[], cwd: string): Promise<number> {
  const write = (text: string) => process.stdout.write(text);
  const log = createLog(write);
  try {
    const ctx = readBuildContext(env, argv, cwd);
    const { config, bindings, app, python, entry, install, defaultServer } = await analyze(ctx, log);

    log.header(cpython.header);
    const runtime = await installCpython({
      layersDir: ctx.layersDir, dependency: python.dependency, target: ctx.target, config, bindings, log,
      canRunTarget: ociArch(process.arch) === ctx.target.arch,
    });

    log.header(dependencies.header);
    log.info(install.source.reason);
    if (install.wheelhouse) log.info(dependencies.wheelhouse(install.wheelhouse));
    if (install.unsafeReuse) log.info(dependencies.unsafeNote(install.unsafeReuse));
    if (install.editablePaths.length) log.info(dependencies.editableNote(install.editablePaths));
    for (const dir of ['.venv', 'venv']) if (app.dirs.has(dir)) log.info(dependencies.venvDirInApp(dir));
    const pipCache = await preparePipCache(ctx.layersDir, python.dependency.version, ctx.target.arch);
    const venvPath = path.join(ctx.layersDir, VENV_LAYER);
    const serverSetting = setting(config, 'BP_PYTHON_SERVER');
    const pipEnv = pipEnvironment({ config, bindingEnv: pipBindingEnv(bindings), cpythonPath: runtime.path, cpythonEnv: cpythonEnv(runtime.path, python.dependency.version), venvPath, pipCachePath: pipCache });
    const venv = await installVenv({
      layersDir: ctx.layersDir, appDir: ctx.appDir, target: ctx.target, log, write,
      python: { layerPath: runtime.path, version: python.dependency.version, sha256: python.dependency.sha256 },
      keyFiles: install.keyFiles, installArgs: install.installArgs,
      pipEnv,
      policy: entry.kind === 'wsgi' ? `server=${serverSetting ?? defaultServer}` : '',
      ...(install.unsafeReuse ? { unsafeReuse: install.unsafeReuse } : {}),
      serverToAdd: (installed) => serverToAdd(entry, installed, serverSetting, defaultServer),
    });

    // Later steps run the app's code: they get no pip settings (nor any credentials).
    const runEnv = Object.fromEntries(Object.entries(pipEnv).filter(([k]) => !k.startsWith('PIP_')));
    const statics = entry.kind === 'wsgi' && entry.django
      ? await generateStaticFiles(entry.django, { appDir: ctx.appDir, env: runEnv, config, log, write, timeoutMs: appCommandTimeoutMs(config) })
      : undefined;
    await setLaunchProcesses({
      layersDir: ctx.layersDir, buildpackDir: ctx.buildpackDir, appDir: ctx.appDir, venvDir: venv.path, cpythonDir: runtime.path,
      plan: planProcesses(entry, venv.distributions, serverSetting, statics), ...(serverSetting ? { serverSetting } : {}), runEnv, log,
      timeoutMs: appCommandTimeoutMs(config),
    });
    return EXIT.ok;
  } catch (err) {
    reportError(log, err);
    return EXIT.error;
  }
}
