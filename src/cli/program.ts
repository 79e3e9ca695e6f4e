import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { Env } from '../cnb/env.js';
import { EXIT } from '../cnb/exit-codes.js';
import { buildCommand, launchCommand, packageCommand, type BuildFlags, type LaunchFlags, type PackageFlags } from './commands.js';
import { parseEnvAssignment } from './options.js';

const BUILD_HELP = `
Runs the buildpack like the CNB lifecycle would: detect, restore, build, export.
Without --layers, --cache and --platform, they live in
  \${XDG_CACHE_HOME:-$HOME/.cache}/pywarp/<app name>-<hash of its path>/
<platform>/env is rewritten from the -e flags of each build; the rest of <platform>
(e.g. bindings/) is left alone.

Exit codes: 0 built; 100 no buildpack detected (bin/detect exited 100, or its plan
does not resolve); 1 any other failure, after which the previous build and the
cache are unchanged.`;

const LAUNCH_HELP = `
Runs a process of the last build like the CNB launcher would: launch layers' env,
exec.d, then the process itself, with signals passed on to it. Arguments after --
replace the process's default args.

Exit codes: the process's own (128+N if it dies of signal N); 82 if it cannot be
launched (no build, unknown process type, exec.d failure, command not found).`;

const PACKAGE_HELP = `
Packages this buildpack for pack: buildpack.toml (plus [metadata.node]), bin/, the
bundle, the launcher's Python files and the running Node.js as node/bin/node, so
bin/detect and bin/build need no node on the build image. Needs a linux/amd64 Node.
The same sources give the same .tgz bytes. Without --output it writes to ./out/.

Exit codes: 0 packaged; 1 any failure (no half-written package is left behind).`;

function collectEnv(value: string, previous: [string, string][] = []): [string, string][] {
  try {
    return [...previous, parseEnvAssignment(value)];
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

/** The `pywarp` command line; resolves to the exit code (main.ts sets it). */
export async function runCli(argv: readonly string[], env: Env): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('pywarp')
    .description('Build and run an app with the pywarp buildpack, without pack or Docker.')
    .exitOverride();
  program.command('build')
    .description('build <app> with a buildpack')
    .argument('<app>', 'the app source directory')
    .option('--buildpack <dir>', 'the buildpack to run (default: this one)')
    .option('--layers <dir>', 'where the image is kept')
    .option('--cache <dir>', 'where cached layers are kept')
    .option('--platform <dir>', 'the platform directory given to the buildpack')
    .option('-e, --env <NAME=VALUE>', 'a build-time variable for the buildpack (repeatable)', collectEnv)
    .addHelpText('after', BUILD_HELP)
    .action(async (app: string, flags: BuildFlags) => { exitCode = await buildCommand(app, flags, env); });
  program.command('launch')
    .description('run a process of the last build of <app>')
    .argument('<app>', 'the app source directory')
    .argument('[args...]', 'arguments for the process, after --')
    .option('--layers <dir>', 'where the image is kept (default: as for build)')
    .option('--process <type>', 'the process type to run (default: the default process)')
    .addHelpText('after', LAUNCH_HELP)
    .action(async (app: string, args: string[], flags: LaunchFlags) => { exitCode = await launchCommand(app, args, flags, env); });
  program.command('package')
    .description('package this buildpack, with its own Node.js, for pack build --buildpack')
    .option('--output <dir>', 'where to write the package', 'out')
    .addOption(new Option('--format <format>', 'a gzipped tar or a directory').choices(['tgz', 'dir']).default('tgz'))
    .addHelpText('after', PACKAGE_HELP)
    .action(async (flags: PackageFlags) => { exitCode = await packageCommand(flags, env); });
  try {
    await program.parseAsync([...argv]);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    throw err;
  }
  return exitCode;
}
