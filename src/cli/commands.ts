import { rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Env } from '../cnb/env.js';
import { EXIT } from '../cnb/exit-codes.js';
import { build } from '../lifecycle/build.js';
import { LifecycleError } from '../lifecycle/errors.js';
import { describeProcesses } from '../lifecycle/image-metadata.js';
import { launch } from '../lifecycle/launch.js';
import { createLog, formatBytes, formatDuration } from '../output/log.js';
import { packaging } from '../output/messages.js';
import { nextSteps } from '../package/next-steps.js';
import type { Arch } from '../package/node-dist.js';
import { PackageError } from '../package/node-metadata.js';
import { packageBuildpack, type PackageFormat } from '../package/package.js';
import { cleanState } from './clean.js';
import { bundledBuildpackDir, defaultWorkDirs, stateDir } from './options.js';

export interface BuildFlags { buildpack?: string; layers?: string; cache?: string; platform?: string; env?: [string, string][] }
export interface LaunchFlags { layers?: string; process?: string }
export interface PackageFlags { output: string; format: PackageFormat; arch: Arch }

const errorLog = createLog((text) => process.stderr.write(text));

/** Runs a command, turning its failure into a message on stderr and an exit code. */
async function reporting(fallbackCode: number, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof LifecycleError) {
      errorLog.error(err.title, err.detail);
      return err.exitCode;
    }
    errorLog.error('Unexpected error', `${(err as Error).stack ?? String(err)}\nThis is a bug in pywarp's local lifecycle.`);
    return fallbackCode;
  }
}

async function appDirOf(app: string): Promise<string> {
  const appDir = path.resolve(app);
  if (!(await stat(appDir).catch(() => undefined))?.isDirectory()) throw new LifecycleError('App not found', `${appDir} is not a directory.`);
  return appDir;
}

const exists = (dir: string) => stat(dir).then(() => true, () => false);

export function buildCommand(app: string, flags: BuildFlags, env: Env): Promise<number> {
  return reporting(EXIT.error, async () => {
    const appDir = await appDirOf(app);
    const defaults = () => defaultWorkDirs(appDir, env);
    const usesState = !(flags.layers && flags.cache && flags.platform);
    const state = usesState ? stateDir(appDir, env) : undefined;
    const hadState = state !== undefined && (await exists(state));
    const log = createLog((text) => process.stdout.write(text));
    try {
      const metadata = await build({
        appDir,
        buildpackDir: path.resolve(flags.buildpack ?? bundledBuildpackDir(import.meta.url)),
        layersDir: path.resolve(flags.layers ?? defaults().layers),
        cacheDir: path.resolve(flags.cache ?? defaults().cache),
        platformDir: path.resolve(flags.platform ?? defaults().platform),
        caller: env,
        platformVars: flags.env ?? [],
      }, log);
      log.info(`Process types: ${describeProcesses(metadata)}`);
      return EXIT.ok;
    } catch (err) {
      // An app that is not for this buildpack leaves nothing behind (only the platform dir existed yet).
      if (state && !hadState && err instanceof LifecycleError && err.exitCode === EXIT.detectFail) {
        await rm(state, { recursive: true, force: true });
        await rmdir(path.dirname(state)).catch(() => undefined); // the pywarp folder too, when nothing else is in it
      }
      throw err;
    }
  });
}

export function launchCommand(app: string, userArgs: string[], flags: LaunchFlags, env: Env): Promise<number> {
  return reporting(EXIT.launchError, async () => {
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

export function packageCommand(flags: PackageFlags): Promise<number> {
  return reporting(EXIT.error, async () => {
    const started = Date.now();
    const sourceDir = bundledBuildpackDir(import.meta.url);
    const result = await packageBuildpack({
      sourceDir, outputDir: path.resolve(flags.output), format: flags.format, arch: flags.arch, cacheDir: path.join(sourceDir, '.cache', 'node-packages'),
    }).catch((err: unknown) => {
      // A failed fetch or a file the system refuses (missing, unwritable) is for the user to fix, not a bug.
      if (err instanceof PackageError || (err as NodeJS.ErrnoException).code) throw new LifecycleError(packaging.title, (err as Error).message);
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
  return reporting(EXIT.error, async () => {
    await cleanState(app, env, (line) => process.stdout.write(`${line}\n`));
    return EXIT.ok;
  });
}
