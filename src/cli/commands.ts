import { rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import type { Env } from '../cnb/env.js';
import { EXIT } from '../cnb/exit-codes.js';
import { build } from '../lifecycle/build.js';
import { failureExitCode } from '../lifecycle/errors.js';
import { describeProcesses } from '../lifecycle/image-metadata.js';
import { launch } from '../lifecycle/launch.js';
import { isDirectory, pathExists } from '../effects/fs.js';
import { BuildError } from '../output/build-error.js';
import { createLog, formatBytes, formatDuration } from '../output/log.js';
import { packaging } from '../output/messages.js';
import { debugRequested, renderError } from '../output/render-error.js';
import { nextSteps } from '../package/next-steps.js';
import type { Arch } from '../package/node-dist.js';
import { packageBuildpack, type PackageFormat } from '../package/package.js';
import { cleanState } from './clean.js';
import { bundledBuildpackDir, defaultWorkDirs, stateDir } from './options.js';

export interface BuildFlags {
  buildpack?: string;
  layers?: string;
  cache?: string;
  platform?: string;
  env?: [string, string][];
}
export interface LaunchFlags {
  layers?: string;
  process?: string;
}
export interface PackageFlags {
  output: string;
  format: PackageFormat;
  arch: Arch;
}

const errorLog = createLog((text) => process.stderr.write(text));

/** Runs a command, turning its failure into a message on stderr and an exit code. */
async function reporting(env: Env, fallbackCode: number, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (err) {
    const { title, body } = renderError(err, { debug: debugRequested(env) });
    errorLog.error(title, body);
    return err instanceof BuildError ? failureExitCode(err.failure) : fallbackCode;
  }
}

async function appDirOf(app: string): Promise<string> {
  const appDir = path.resolve(app);
  if (!(await isDirectory(appDir))) throw new BuildError({ kind: 'app-not-found', dir: appDir });
  return appDir;
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Runs `fn` with SIGINT, SIGTERM and SIGHUP turned into an abort: the build stops its
 * running phase, puts the previous image back and fails with `build-interrupted`, instead
 * of dying with the layers half-replaced.
 */
async function stoppable<T>(fn: (stop: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => controller.abort(new BuildError({ kind: 'build-interrupted', signal }));
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  try {
    return await fn(controller.signal);
  } finally {
    for (const s of STOP_SIGNALS) process.removeListener(s, onSignal);
  }
}

export function buildCommand(app: string, flags: BuildFlags, env: Env): Promise<number> {
  return reporting(env, EXIT.error, async () => {
    const appDir = await appDirOf(app);
    const defaults = () => defaultWorkDirs(appDir, env);
    const usesState = !(flags.layers && flags.cache && flags.platform);
    const state = usesState ? stateDir(appDir, env) : undefined;
    const hadState = state !== undefined && (await pathExists(state));
    const log = createLog((text) => process.stdout.write(text));
    try {
      const metadata = await stoppable((stop) =>
        build(
          {
            appDir,
            buildpackDir: path.resolve(flags.buildpack ?? bundledBuildpackDir(import.meta.url)),
            layersDir: path.resolve(flags.layers ?? defaults().layers),
            cacheDir: path.resolve(flags.cache ?? defaults().cache),
            platformDir: path.resolve(flags.platform ?? defaults().platform),
            caller: env,
            platformVars: flags.env ?? [],
            stop,
          },
          log,
        ),
      );
      log.info(`Process types: ${describeProcesses(metadata)}`);
      return EXIT.ok;
    } catch (err) {
      // An app that is not for this buildpack leaves nothing behind (only the platform dir existed yet).
      if (state && !hadState && err instanceof BuildError && failureExitCode(err.failure) === EXIT.detectFail) {
        await rm(state, { recursive: true, force: true });
        await rmdir(path.dirname(state)).catch(() => undefined); // the pywarp folder too, when nothing else is in it
      }
      throw err;
    }
  });
}

export function launchCommand(app: string, userArgs: string[], flags: LaunchFlags, env: Env): Promise<number> {
  return reporting(env, EXIT.launchError, async () => {
    const appDir = await appDirOf(app);
    return launch({
      appDir,
      layersDir: path.resolve(flags.layers ?? defaultWorkDirs(appDir, env).layers),
      ...(flags.process !== undefined ? { processType: flags.process } : {}),
      userArgs,
      caller: env,
    });
  });
}

export function packageCommand(flags: PackageFlags, env: Env): Promise<number> {
  return reporting(env, EXIT.error, async () => {
    const started = Date.now();
    const sourceDir = bundledBuildpackDir(import.meta.url);
    const result = await packageBuildpack({
      sourceDir,
      outputDir: path.resolve(flags.output),
      format: flags.format,
      arch: flags.arch,
      cacheDir: path.join(sourceDir, '.cache', 'node-packages'),
    }).catch((err: unknown) => {
      // A failed fetch or a file the system refuses (missing, unwritable) is for the user to fix, not a bug.
      if (!(err instanceof BuildError) && (err as NodeJS.ErrnoException).code)
        throw new BuildError({ kind: 'package-failed', detail: (err as Error).message });
      throw err;
    });
    const nodes = `Node.js ${result.node} for ${result.arches.map((arch) => `linux/${arch}`).join(' and ')}`;
    const lines = [
      packaging.packaged(result.id, result.version, nodes, formatDuration(Date.now() - started)),
      `  ${result.path} (${formatBytes(result.bytes)}, ${result.entries} entries${result.arches.length > 1 ? ' per architecture' : ''})`,
      '',
      ...nextSteps(result),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return EXIT.ok;
  });
}

export function cleanCommand(app: string | undefined, env: Env): Promise<number> {
  return reporting(env, EXIT.error, async () => {
    await cleanState(app, env, (line) => process.stdout.write(`${line}\n`));
    return EXIT.ok;
  });
}
