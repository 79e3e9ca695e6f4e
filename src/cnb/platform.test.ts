import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readPlatformEnv } from './platform.js';

let platform: string;
beforeEach(async () => {
  platform = await mkdtemp(path.join(os.tmpdir(), 'pywarp-platform-'));
});
afterEach(async () => {
  await rm(platform, { recursive: true, force: true });
});

describe('readPlatformEnv (spec §3 <platform>/env, assertion 73)', () => {
  test('no env dir: no variables', async () => {
    expect(await readPlatformEnv(platform)).toEqual({});
  });

  test('file name = name, raw content = value (not trimmed)', async () => {
    await mkdir(path.join(platform, 'env'));
    await writeFile(path.join(platform, 'env', 'BP_PYTHON_VERSION'), '3.12\n');
    await writeFile(path.join(platform, 'env', 'BP_EMPTY'), '');
    await writeFile(path.join(platform, 'env', 'PATH'), '/extra/bin');
    expect(await readPlatformEnv(platform)).toEqual({ BP_PYTHON_VERSION: '3.12\n', BP_EMPTY: '', PATH: '/extra/bin' });
  });

  test('dotfiles and directories are skipped', async () => {
    await mkdir(path.join(platform, 'env', 'SUBDIR'), { recursive: true });
    await writeFile(path.join(platform, 'env', '.hidden'), 'x');
    await writeFile(path.join(platform, 'env', 'A'), 'a');
    expect(await readPlatformEnv(platform)).toEqual({ A: 'a' });
  });

  test('the files are read whatever clear-env says: the buildpack reads them itself', async () => {
    await mkdir(path.join(platform, 'env'));
    await writeFile(path.join(platform, 'env', 'BP_X'), 'on');
    expect((await readPlatformEnv(platform)).BP_X).toBe('on');
  });
});
