import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import type { App } from '../plan/app.js';

// Counts the parses of requirements files: planning must parse each file once, however many
// rounds readApp takes, so that its work grows with the lines read, not with their square.
const requirements = await import('../plan/requirements.js');
const parseRequirements = jest.fn(requirements.parseRequirements);
jest.unstable_mockModule('../plan/requirements.js', () => ({ ...requirements, parseRequirements }));
const { decodeUtf8, MAX_READ_ROUNDS, readApp } = await import('./read-app.js');
const { appReads } = await import('../plan/build-plan.js');
const { planInstall } = await import('../plan/install.js');

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pywarp-read-app-'));
  parseRequirements.mockClear();
});
afterEach(() => rm(tmp, { recursive: true, force: true }));

async function write(files: Record<string, string | Buffer>): Promise<void> {
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(tmp, name), text);
}

/** readApp with the build's reads, counting its rounds. */
async function read(): Promise<{ app: App; rounds: number }> {
  let rounds = 0;
  const app = await readApp(tmp, (a) => {
    rounds++;
    return appReads(a, {});
  });
  return { app, rounds };
}

test.each([
  ['UTF-8', Buffer.from('web: echo café\n'), 'web: echo café\n', []],
  ['a BOM is kept, as before', Buffer.from('\uFEFFweb: x\n'), '\uFEFFweb: x\n', []],
  ['Latin-1 on line 2', Buffer.from('web: x\nworker: caf\xe9\n', 'latin1'), 'web: x\nworker: caf\uFFFD\n', [2]],
  ['a last line without newline', Buffer.from('a\nb\n\xff', 'latin1'), 'a\nb\n\uFFFD', [3]],
])('decodeUtf8: %s', (_name, bytes, text, notUtf8) => expect(decodeUtf8(bytes)).toEqual({ text, notUtf8 }));

test('the lines of a file that are not UTF-8 are kept with the app', async () => {
  await write({ Procfile: Buffer.from('web: x\nworker: caf\xe9\n', 'latin1'), 'requirements.txt': 'flask\n' });
  const { app } = await read();
  expect(Object.fromEntries(app.notUtf8 ?? [])).toEqual({ Procfile: [2] });
});

test('a 10,000-line requirements file with 1,000 includes: each file parsed once, in two rounds', async () => {
  const lines = Array.from({ length: 10_000 }, (_, i) => (i % 10 ? `pkg${i}==1.0` : `-r r${i / 10}.txt`));
  await write({ 'requirements.txt': `${lines.join('\n')}\n` });
  for (let i = 0; i < 1000; i++) await write({ [`r${i}.txt`]: `p${i}\n` });
  const { app, rounds } = await read();
  planInstall(app, {}, { python: '3.11.2', arch: 'amd64' });
  expect(rounds).toBe(2);
  expect(parseRequirements).toHaveBeenCalledTimes(1001);
});

test('a chain of includes: one round per level, each file parsed once', async () => {
  const depth = 40;
  for (let i = 0; i < depth; i++) await write({ [i ? `r${i}.txt` : 'requirements.txt']: `-r r${i + 1}.txt\npkg${i}\n` });
  await write({ [`r${depth}.txt`]: 'last\n' });
  const { app, rounds } = await read();
  planInstall(app, {}, { python: '3.11.2', arch: 'amd64' });
  expect(rounds).toBe(depth + 1);
  expect(parseRequirements).toHaveBeenCalledTimes(depth + 1);
});

test(`includes nested more than ${MAX_READ_ROUNDS} levels: a titled error naming the file still wanted`, async () => {
  const depth = MAX_READ_ROUNDS + 5;
  for (let i = 0; i < depth; i++) await write({ [i ? `r${i}.txt` : 'requirements.txt']: `-r r${i + 1}.txt\n` });
  await expect(read()).rejects.toMatchObject({
    failure: { kind: 'app-reads-too-deep', limit: MAX_READ_ROUNDS, files: [`r${MAX_READ_ROUNDS + 1}.txt`] },
  });
});

test('200,000 editable and local lines: read without a stack overflow, then a titled error', async () => {
  await write({ 'requirements.txt': '-e .\n./x\n'.repeat(100_000), 'setup.py': '' });
  const { app } = await read();
  expect(() => planInstall(app, {}, { python: '3.11.2', arch: 'amd64' })).toThrow(
    expect.objectContaining({ failure: { kind: 'requirements-too-long', files: ['requirements.txt'], lines: 200_000, limit: 20_000 } }),
  );
});
