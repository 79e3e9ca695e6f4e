import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/fixtures.js';

// Decisions are plain functions: no file system, network or processes in src/plan/.
const EFFECTS = /from '(node:fs(\/promises)?|node:http|node:https|node:net|node:child_process|node:os|execa|tar-stream)'/;

const planDir = join(repoRoot(), 'src', 'plan');
const modules = readdirSync(planDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));

test.each(modules)('src/plan/%s imports no effects', (file) => {
  const effects = readFileSync(join(planDir, file), 'utf8')
    .split('\n')
    .filter((line) => EFFECTS.test(line));
  expect(effects).toEqual([]);
});
