import path from 'node:path';
import type { Env } from '../cnb/env.js';
import { EXIT } from '../cnb/exit-codes.js';
import { build } from '../lifecycle/build.js';
import { failureExitCode } from '../lifecycle/errors.js';
import { describeProcesses } from '../lifecycle/image-metadata.js';
import { launch } from '../lifecycle/launch.js';
import { isDirectory } from '../effects/fs.js';
import { BuildError } from '../output/build-error.js';
import { createLog, formatBytes, formatDuration } from '../output/log.js';
import { debugRequested, renderError } from '../output/render-error.js';
import { nextSteps } from '../package/next-steps.js';
import { packageBuildpack, type PackageFormat } from '../package/package.js';
import { bundledBuildpackDir, defaultWorkDirs } from './options.js';

export interface BuildFlags { buildpack?: string; layers?: string; cache?: string; platform?: string; env?: [string, string][] }
export interface LaunchFlags { layers?: string; process?: string }
export interface PackageFlags { output: string; format: PackageFormat }

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

export function buildCommand(app: string, flags: BuildFlags, env: Env): Promise<number> {
  return reporting(env, EXIT.error, async () => {
    const appDir = await appDirOf(app);
    const defaults = () => defaultWorkDirs(appDir, env);
    const log = createLog((text) => process.stdout.write(text));
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
    const node = { execPath: process.execPath, version: process.versions.node, platform: process.platform, arch: process.arch };
    const result = await packageBuildpack({ sourceDir: bundledBuildpackDir(import.meta.url), outputDir: path.resolve(flags.output), format: flags.format, node }).catch((err: unknown) => {
      // A file the system refuses (missing, unwritable) is for the user to fix, not a bug.
      if (!(err instanceof BuildError) && (err as NodeJS.ErrnoException).code) throw new BuildError({ kind: 'package-failed', detail: (err as Error).message });
      throw err;
    });
    const lines = [
      `Packaged ${result.id} ${result.version} with Node.js ${node.version} in ${formatDuration(Date.now() - started)}:`,
      `  ${result.path} (${formatBytes(result.bytes)}, ${result.entries.length} entries)`,
      '',
      ...nextSteps(result),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return EXIT.ok;
  });
}
