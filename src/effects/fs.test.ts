import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isDirectory, isFile, pathExists, readIfExists, statIfExists } from './fs.js';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pywarp-fs-'));
  await writeFile(path.join(tmp, 'file.txt'), 'text');
  await mkdir(path.join(tmp, 'dir'));
  await symlink(path.join(tmp, 'nowhere'), path.join(tmp, 'dangling'));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

test.each<[string, string | undefined]>([
  ['file.txt', 'text'],
  ['missing.txt', undefined],
  // ENOTDIR: a parent is a file.
  ['file.txt/child', undefined],
  ['dangling', undefined],
])('readIfExists(%s)', async (name, text) => expect(await readIfExists(path.join(tmp, name))).toBe(text));

// EACCES takes the same path (tests run as root here, who reads anything).
test('a path that cannot be read as a file is an error, not a missing file', async () => {
  // Node's EISDIR from a read names no file: readIfExists adds it.
  await expect(readIfExists(path.join(tmp, 'dir'))).rejects.toMatchObject({ code: 'EISDIR', path: path.join(tmp, 'dir') });
});

test.each<[string, boolean, boolean, boolean]>([
  ['file.txt', true, true, false],
  ['dir', true, false, true],
  ['missing', false, false, false],
  ['dangling', false, false, false],
  ['file.txt/child', false, false, false],
])('%s: exists %s, file %s, directory %s', async (name, exists, file, dir) => {
  const p = path.join(tmp, name);
  expect([await pathExists(p), await isFile(p), await isDirectory(p), (await statIfExists(p)) !== undefined]).toEqual([
    exists,
    file,
    dir,
    exists,
  ]);
});
