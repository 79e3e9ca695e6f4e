// README's shell commands must work as written on a fresh clone, where `pywarp` is not on
// PATH: they run it as `npx pywarp`, and so do the hints pywarp prints.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, lifecycleHints } from '../../src/output/messages.js';
import { repoRoot } from '../support/fixtures.js';

/** Every line of README's ```sh blocks, comments and continuation lines included. */
function shellLines(): string[] {
  const readme = readFileSync(join(repoRoot(), 'README.md'), 'utf8');
  return [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split('\n'));
}

test('no README command runs a bare pywarp', () => {
  const bare = shellLines().filter((line) => /(^|[;&|]\s*|\s)pywarp\s/.test(line.replace(/npx pywarp/g, '').replace(/#.*$/, '')));
  expect(bare).toEqual([]);
  expect(shellLines().filter((line) => line.includes('npx pywarp')).length).toBeGreaterThan(5);
});

test('the hints pywarp prints name the command the way README runs it', () => {
  expect(CLI).toBe('npx pywarp');
  expect(lifecycleHints.buildFirst('samples/app')).toBe("Run 'npx pywarp build samples/app' first.");
});
