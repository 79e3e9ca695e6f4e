// The only module that reads process.argv and process.env or sets the exit code.
// `cnb-detect` / `cnb-build` come from the bin/ shims; everything else is the pywarp CLI.
import { runBuild, runDetect } from './buildpack.js';

const [phase, ...args] = process.argv.slice(2);
const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));

if (phase === 'cnb-detect') {
  process.exitCode = await runDetect(env, args, process.cwd());
} else if (phase === 'cnb-build') {
  process.exitCode = await runBuild(env, args, process.cwd());
} else {
  const { runCli } = await import('./cli/program.js');
  process.exitCode = await runCli(process.argv, env);
}
