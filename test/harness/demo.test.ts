// `npm run demo -- <sample>` with a name that is not a sample: the list, and nothing started.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

test('an unknown sample lists every sample and how to run one, and exits 2', async () => {
  const samples = (await readdir(path.join(REPO, 'samples'), { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const result = await execa(process.execPath, [path.join(REPO, 'dist', 'demo.js'), 'nosuch'], { reject: false, all: true, timeout: 60_000 });
  expect(result.exitCode).toBe(2);
  expect(result.all).toBe(`No sample named "nosuch". The samples (in samples/) are:\n${samples.map((s) => `  ${s}`).join('\n')}\nRun one with: npm run demo -- <sample>`);
});
