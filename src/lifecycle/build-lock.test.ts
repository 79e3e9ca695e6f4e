import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BuildError } from '../output/build-error.js';
import { LOCK_FILE, lockBuild, lockHolder } from './build-lock.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'pywarp-lock-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

test.each([
  ['pid 4242\n', 4242],
  ['', undefined],
  ['pid x\n', undefined],
  ['pid 0\n', undefined],
])('the holder named by %j', (text, pid) => {
  expect(lockHolder(text)).toBe(pid);
});

test('a second lock of the same directory fails naming the holder; released, it can be taken again', async () => {
  const layers = path.join(dir, 'layers');
  const first = await lockBuild([layers, path.join(dir, 'cache')]);
  expect(first).toBeDefined();
  expect(await readFile(path.join(layers, LOCK_FILE), 'utf8')).toBe(`pid ${process.pid}\n`);
  const second = await lockBuild([layers]).catch((err: unknown) => err);
  expect(second).toBeInstanceOf(BuildError);
  expect((second as BuildError).failure).toEqual({
    kind: 'build-locked',
    file: path.join(layers, LOCK_FILE),
    pid: process.pid,
    alive: true,
  });
  await first?.release();
  expect(await readFile(path.join(layers, LOCK_FILE), 'utf8')).toBe('');
  const third = await lockBuild([layers]);
  expect(third).toBeDefined();
  await third?.release();
});

test('the same directory named twice is locked once', async () => {
  const lock = await lockBuild([dir, path.join(dir, '.')]);
  expect(lock).toBeDefined();
  await lock?.release();
});

test('a directory that cannot be created is not locked (its writes report it)', async () => {
  expect(await lockBuild([path.join('/dev/null', 'layers')])).toBeUndefined();
});
