import { mkdir } from 'node:fs/promises';
// The lifecycle's own cp, on trees it controls (no app code): it stays in pywarp's process
// group so that an interrupted copy stops with pywarp (see phases.ts).
import { execa } from 'execa';

/**
 * Copies files and directory trees into `destDir` with `cp -a`: layers are venvs and
 * CPython trees of 50–100 MB full of symlinks, whose modes and links must survive
 * exactly, and one cp is much faster than a walk in JavaScript.
 */
export async function copyInto(sources: readonly string[], destDir: string): Promise<void> {
  if (sources.length === 0) return;
  await mkdir(destDir, { recursive: true });
  const copied = await execa('cp', ['-a', '--', ...sources, destDir], { stdin: 'ignore', reject: false });
  // cp's own last word ("cp: cannot create …: No space left on device") says what went wrong.
  if (copied.exitCode !== 0) throw new Error(copied.stderr.trim().split('\n').pop() || copied.shortMessage);
}

/**
 * Like copyInto for layer directories, but hard-links their files (`cp -al`): copying a
 * venv and a CPython into the cache took a large part of every build. Used only to save
 * the cache after a build: the next build restores from it by copying, so no build can
 * edit the cache through a shared file. Across filesystems it copies instead.
 */
export async function linkTreesInto(sources: readonly string[], destDir: string): Promise<void> {
  if (sources.length === 0) return;
  await mkdir(destDir, { recursive: true });
  const linked = await execa('cp', ['-al', '--', ...sources, destDir], { stdin: 'ignore', reject: false });
  if (linked.exitCode !== 0) await copyInto(sources, destDir);
}
