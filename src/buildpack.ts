import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { installCpython } from '../layers/cpython.js';
import { readAppFiles } from './app-files.js';
import { BuildError } from './build-error.js';
import { readBindings } from './cnb/bindings.js';
import { formatBuildPlan } from './cnb/build-plan.js';
import { parseBuildpackToml } from './cnb/buildpack-toml.js';
import { readBuildContext, readDetectContext } from './cnb/context.js';
import type { Env } from './cnb/env.js';
import { EXIT } from './cnb/exit-codes.js';
import { readPlatformEnv } from './cnb/platform.js';
import { mergeConfig } from './config.js';
import { readDependencies } from './dependencies.js';
import { KNOWN_PYTHON_PROJECT_DIRS, KNOWN_PYTHON_PROJECT_FILES, pythonProjectMarkers } from './detect.js';
import { createLog, type Log } from './log.js';
import { cpython, detect as detectMsg, INTERNAL_ERROR_FOOTER, pythonVersion } from './messages.js';
import { logPythonPlan, planPython } from './plan.js';

const HOST_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64' };

export async function runDetect(env: Env, argv: readonly string[], cwd: string): Promise<number> {
  const ctx = readDetectContext(env, argv, cwd);
  // Names are enough here; the build reads contents.
  const names = new Set(await readdir(ctx.appDir));
  const markers = pythonProjectMarkers({ files: names, dirs: names });
  if (markers.length === 0) {
    process.stdout.write(`${detectMsg.failed([...KNOWN_PYTHON_PROJECT_FILES, ...KNOWN_PYTHON_PROJECT_DIRS.map((d) => `${d}/`)])}\n`);
    return EXIT.detectFail;
  }
  await writeFile(ctx.planPath, formatBuildPlan({ provides: [{ name: 'cpython' }], requires: [{ name: 'cpython' }] }));
  process.stdout.write(`${detectMsg.passed(markers)}\n`);
  return EXIT.ok;
}

function reportError(log: Log, err: unknown): void {
  if (err instanceof BuildError) {
    log.error(err.title, err.attribution === 'internal' ? `${err.body}\n\n${INTERNAL_ERROR_FOOTER}` : err.body);
  } else {
    const e = err as Error;
    log.error('Internal error', `${e.stack ?? e.message}\n\n${INTERNAL_ERROR_FOOTER}`);
  }
}

export async function runBuild(env: Env, argv: readonly string[], cwd: string): Promise<number> {
  const log = createLog((text) => process.stdout.write(text));
  try {
    const ctx = readBuildContext(env, argv, cwd);
    const descriptor = parseBuildpackToml(await readFile(path.join(ctx.buildpackDir, 'buildpack.toml'), 'utf8'));
    const config = mergeConfig(ctx.env, await readPlatformEnv(ctx.platformDir));
    const bindings = await readBindings(ctx.env, ctx.platformDir);
    const app = await readAppFiles(ctx.appDir);
    const deps = readDependencies(descriptor.metadata);

    log.header(pythonVersion.header);
    const python = planPython(app, config, deps, ctx.target);
    logPythonPlan(log, python, ctx.target.arch);

    log.header(cpython.header);
    await installCpython({
      layersDir: ctx.layersDir, dependency: python.dependency, target: ctx.target, config, bindings, log,
      canRunTarget: HOST_ARCH[process.arch] === ctx.target.arch,
    });
    return EXIT.ok;
  } catch (err) {
    reportError(log, err);
    return EXIT.error;
  }
}
