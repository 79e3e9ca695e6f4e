import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * The whole environment an integration test runs the buildpack with. Nothing is
 * inherited: this machine's pip config, PIP_* variables and pyenv shims would
 * otherwise let a broken fixture index pass (pip would quietly use them).
 */
export function scrubbedEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    // node's own dir first so `node` is the running one; no pyenv anywhere
    PATH: `${dirname(process.execPath)}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
    HOME: home,
    LANG: 'C.UTF-8',
    PIP_CONFIG_FILE: '/dev/null',
    TMPDIR: '/tmp',
    ...extra,
  };
}

/** A fresh temp dir that an unprivileged user (the launch user, mod_wsgi's --user) can traverse. */
export async function makeTempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await chmod(dir, 0o755);
  return dir;
}
