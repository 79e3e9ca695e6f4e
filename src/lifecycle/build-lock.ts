import { mkdir, open, readFile, realpath, writeFile } from 'node:fs/promises';
import path from 'node:path';
// flock(1) locks an open file description that this process keeps: Node has no flock, and a
// lock held by the kernel ends with the last process holding the descriptor, so a SIGKILLed
// build never leaves a lock behind.
import { execa } from 'execa';
import { BuildError } from '../output/build-error.js';

/** The lock file in a layers or cache directory; `pywarp build` holds it while it runs. */
export const LOCK_FILE = '.pywarp-build.lock';

/**
 * A descriptor of this process for a child's stdio array: execa's types list only 3–9, but
 * it passes any descriptor on, as Node's spawn does.
 */
export function parentFd(fd: number): 3 {
  return fd as 3;
}

export interface HeldLock {
  /** The locked descriptor: children given it keep the lock as long as they run. */
  fd: number;
  release(): Promise<void>;
}

/** The pid a lock file names, written by the build that holds it. */
export function lockHolder(text: string): number | undefined {
  const pid = Number(/^pid (\d+)$/m.exec(text)?.[1]);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `<dir>/.pywarp-build.lock` without waiting. Gives `busy` (naming the holder) when
 * another process holds it, and neither `lock` nor `busy` when the directory cannot be
 * written: an unwritable directory is a problem of its own, reported where it is written.
 */
async function tryLock(dir: string): Promise<{ lock?: HeldLock; busy?: { file: string; pid?: number } }> {
  const file = path.join(dir, LOCK_FILE);
  const handle = await mkdir(dir, { recursive: true })
    .then(() => open(file, 'a+', 0o644))
    .catch(() => undefined);
  if (!handle) return {};
  const locked = await execa('flock', ['--nonblock', '3'], { stdio: ['ignore', 'ignore', 'pipe', parentFd(handle.fd)], reject: false });
  if (locked.exitCode === 1) {
    await handle.close();
    const pid = lockHolder(await readFile(file, 'utf8').catch(() => ''));
    return { busy: { file, ...(pid ? { pid } : {}) } };
  }
  // No flock(1) on this system: build unlocked, as before there was a lock.
  if (locked.exitCode !== 0) {
    await handle.close();
    return {};
  }
  // Best effort: on a full disk the lock holds all the same, its file just names no one.
  await handle
    .truncate(0)
    .then(() => writeFile(handle, `pid ${process.pid}\n`))
    .catch(() => undefined);
  // Emptied on release: the file names a holder only while one holds it.
  const release = async () => {
    await handle.truncate(0).catch(() => undefined);
    await handle.close();
  };
  return { lock: { fd: handle.fd, release } };
}

/**
 * Locks the layers and cache directories of one build, or throws `build-locked` naming the
 * build that holds them. The layers directory's lock comes first and is what children inherit.
 */
export async function lockBuild(dirs: readonly string[]): Promise<HeldLock | undefined> {
  const held: HeldLock[] = [];
  const seen = new Set<string>();
  try {
    for (const dir of dirs) {
      const real = await realpath(dir).catch(() => path.resolve(dir));
      if (seen.has(real)) continue;
      seen.add(real);
      const { lock, busy } = await tryLock(dir);
      if (busy)
        throw new BuildError({ kind: 'build-locked', file: busy.file, ...(busy.pid ? { pid: busy.pid, alive: alive(busy.pid) } : {}) });
      if (lock) held.push(lock);
    }
  } catch (err) {
    for (const lock of held) await lock.release();
    throw err;
  }
  const [first] = held;
  if (!first) return undefined;
  return {
    fd: first.fd,
    release: async () => {
      for (const lock of held) await lock.release();
    },
  };
}
