import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { recoverImage } from './image-switch.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'pywarp-switch-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** Writes `files` (path → content) under the layers dir, then returns every file there after recovery. */
async function recovered(files: Record<string, string>): Promise<[string, Record<string, string>]> {
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), content);
  }
  const result = await recoverImage(dir);
  const after: Record<string, string> = {};
  for (const file of (await readdir(dir, { recursive: true, withFileTypes: true })).filter((f) => f.isFile()))
    after[path.relative(dir, path.join(file.parentPath, file.name))] = await readFile(path.join(file.parentPath, file.name), 'utf8');
  return [result, after];
}

const OLD = { 'config/metadata.toml': 'old', 'bp/venv.toml': 'old' };

test.each([
  ['nothing to do', OLD, 'none', OLD],
  [
    'killed while bin/build ran: the previous image comes back',
    { ...OLD, 'bp/venv.toml': 'half', '.previous/bp/venv.toml': 'old' },
    'restored',
    OLD,
  ],
  ['killed during the first build: its layers go', { 'bp/venv': 'half', '.previous/bp.absent': '' }, 'restored', {}],
  [
    'killed before the switch: the new metadata goes',
    { ...OLD, 'bp/venv.toml': 'new', 'config/metadata.toml.new': 'new', '.previous/bp/venv.toml': 'old' },
    'restored',
    OLD,
  ],
  [
    'killed after the switch: it is finished',
    { ...OLD, 'bp/venv.toml': 'new', 'config/metadata.toml.new': 'new', '.superseded/bp/venv.toml': 'old' },
    'completed',
    { 'config/metadata.toml': 'new', 'bp/venv.toml': 'new' },
  ],
])('%s', async (_name, files, result, after) => {
  expect(await recovered(files)).toEqual([result, after]);
});
