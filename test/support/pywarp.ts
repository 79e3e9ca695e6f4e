import { mkdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { repoRoot } from './fixtures.js';
import { scrubbedEnv } from './scrubbed-env.js';

export interface RunResult {
  exitCode: number;
  output: string;
}

/**
 * One app's image and cache, built and launched with the local lifecycle in a
 * scrubbed environment. Every build gets PIP_CONFIG_FILE=/dev/null as platform env,
 * so pip inside the buildpack never reads this machine's pip configuration, and
 * PIP_TRUSTED_HOST=127.0.0.1, which a plain-http index needs for pip to cache from it.
 */
export class TestImage {
  readonly layers: string;
  readonly cache: string;
  readonly platform: string;
  readonly home: string;

  constructor(
    readonly root: string,
    readonly buildpack: string,
  ) {
    this.layers = join(root, 'layers');
    this.cache = join(root, 'cache');
    this.platform = join(root, 'platform');
    this.home = join(root, 'home');
  }

  private cli(): string {
    return join(repoRoot(), 'dist', 'pywarp.js');
  }

  /** `pywarp build`'s arguments for `app` into this image, with pip kept to the test index. */
  buildArgs(app: string, buildEnv: Record<string, string>): string[] {
    const env = Object.entries({ PIP_CONFIG_FILE: '/dev/null', PIP_TRUSTED_HOST: '127.0.0.1', ...buildEnv }).flatMap(([k, v]) => [
      '-e',
      `${k}=${v}`,
    ]);
    return [
      this.cli(),
      'build',
      app,
      '--buildpack',
      this.buildpack,
      '--layers',
      this.layers,
      '--cache',
      this.cache,
      '--platform',
      this.platform,
      ...env,
    ];
  }

  async build(app: string, buildEnv: Record<string, string> = {}): Promise<RunResult> {
    await mkdir(this.home, { recursive: true });
    const result = await execa(process.execPath, this.buildArgs(app, buildEnv), {
      env: scrubbedEnv(this.home),
      extendEnv: false,
      reject: false,
      all: true,
      timeout: 300_000,
    });
    return { exitCode: result.exitCode ?? -1, output: result.all ?? '' };
  }

  /**
   * Starts `pywarp build` in its own process group, for tests that signal it mid-build; the
   * caller stops it by its PID (see processes.ts). `callerEnv` is added to pywarp's own environment.
   */
  startBuild(
    app: string,
    buildEnv: Record<string, string> = {},
    callerEnv: Record<string, string> = {},
  ): ResultPromise<{ all: true; reject: false }> {
    // Synchronous: an async function would resolve to the build's result, not the running build.
    mkdirSync(this.home, { recursive: true });
    return execa(process.execPath, this.buildArgs(app, buildEnv), {
      env: scrubbedEnv(this.home, callerEnv),
      extendEnv: false,
      reject: false,
      all: true,
      detached: true,
    });
  }

  /**
   * Starts `pywarp launch` in its own process group; the caller stops it by its PID
   * (see processes.ts), which falls back to killing the whole group.
   */
  launch(
    app: string,
    opts: { process?: string; args?: string[]; env?: Record<string, string> } = {},
  ): ResultPromise<{ all: true; reject: false }> {
    const args = [
      this.cli(),
      'launch',
      app,
      '--layers',
      this.layers,
      ...(opts.process ? ['--process', opts.process] : []),
      ...(opts.args ? ['--', ...opts.args] : []),
    ];
    return execa(process.execPath, args, {
      env: scrubbedEnv(this.home, opts.env),
      extendEnv: false,
      reject: false,
      all: true,
      detached: true,
    });
  }

  async run(app: string, opts: { process?: string; args?: string[]; env?: Record<string, string> } = {}): Promise<RunResult> {
    const result = await this.launch(app, opts);
    return { exitCode: result.exitCode ?? -1, output: result.all ?? '' };
  }
}
