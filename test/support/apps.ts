import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { scrubbedEnv } from './scrubbed-env.js';

/** Writes an app from a map of relative path → contents; `+x` at the end of a path makes it executable. */
export async function writeApp(dir: string, files: Record<string, string>): Promise<string> {
  for (const [name, text] of Object.entries(files)) {
    const rel = name.replace(/\+x$/, '');
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await writeFile(join(dir, rel), text);
    if (rel !== name) await chmod(join(dir, rel), 0o755);
  }
  return dir;
}

/**
 * Runs `<buildpack>/bin/build` the way the lifecycle does, but into a layers directory the
 * test owns, so it can see exactly what the buildpack leaves behind after a failure.
 */
export async function runBinBuild(opts: {
  buildpack: string;
  app: string;
  layers: string;
  platform: string;
  home: string;
}): Promise<{ exitCode: number; output: string }> {
  await mkdir(opts.layers, { recursive: true });
  const plan = join(opts.layers, '..', 'bp-plan.toml');
  await writeFile(plan, '[[entries]]\nname = "cpython"\n');
  const result = await execa(join(opts.buildpack, 'bin', 'build'), [], {
    cwd: opts.app,
    env: scrubbedEnv(opts.home, {
      CNB_BUILDPACK_DIR: opts.buildpack,
      CNB_LAYERS_DIR: opts.layers,
      CNB_PLATFORM_DIR: opts.platform,
      CNB_BP_PLAN_PATH: plan,
      CNB_TARGET_OS: 'linux',
      CNB_TARGET_ARCH: 'amd64',
    }),
    extendEnv: false,
    reject: false,
    all: true,
    timeout: 300_000,
  });
  return { exitCode: result.exitCode ?? -1, output: result.all ?? '' };
}
