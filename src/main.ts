// The only module (with detect-main.ts, detect's own entry) that reads process.argv and
// process.env or sets the exit code. `cnb-build` comes from bin/build; the rest is the CLI.
import { runBuild } from './steps/build.js';

const [phase, ...args] = process.argv.slice(2);
const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));

if (phase === 'cnb-build') {
  process.exitCode = await runBuild(env, args, process.cwd());
} else {
  const { runCli } = await import('./cli/program.js');
  process.exitCode = await runCli(process.argv, env);
}
