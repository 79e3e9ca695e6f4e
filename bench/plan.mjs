// How pywarp's own planning work grows with the length of the requirements: appReads, what
// readApp runs after each round of reading (choosing the installer, walking requirements.txt
// and its includes, parsing each file once), in memory on apps of 20,000 to 160,000
// requirement lines (one line in ten an include of a one-line file), from the TypeScript
// sources bundled with esbuild. Linear work keeps the time per line flat: the target is the
// largest app's time per line within 2x the smallest's (quadratic work would make it 8x).
// Below ~20,000 lines everything fits the CPU's caches and each line costs less, which says
// nothing about the algorithm; file system calls are left out, as noisy as the machine is
// loaded. The unit test src/effects/read-app.test.ts checks the structure (each file parsed
// once, one round per include level); this measures it. Not part of the tests.
//   node bench/plan.mjs [--runs N]
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { build } from 'esbuild';
import { machine, median, repo, report, table, verdict } from './lib.mjs';

const SIZES = [20_000, 40_000, 80_000, 160_000];
const TARGET_RATIO = 2;
const { values } = parseArgs({ options: { runs: { type: 'string', default: '9' } } });
const runs = Number(values.runs);
// a collection before each timed run, so that no run pays for the garbage of the one before
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

const entry = [
  `export { appFrom } from ${JSON.stringify(join(repo, 'src/plan/app.ts'))};`,
  `export { appReads } from ${JSON.stringify(join(repo, 'src/plan/build-plan.ts'))};`,
].join('\n');
const bundled = await build({
  stdin: { contents: entry, resolveDir: repo, loader: 'ts' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  // the CommonJS dependencies bundled in require Node's modules
  banner: {
    js: `import { createRequire } from 'node:module'; const require = createRequire(${JSON.stringify(join(repo, 'package.json'))});`,
  },
  write: false,
  logLevel: 'warning',
});
const { appFrom, appReads } = await import(`data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString('base64')}`);

/** requirements.txt of `lines` lines, one in ten including a file of one line. */
function appFiles(lines) {
  const files = { 'app.py': '' };
  files['requirements.txt'] = `${Array.from({ length: lines }, (_, i) => (i % 10 ? `pkg${i}==1.0` : `-r r${i / 10}.txt`)).join('\n')}\n`;
  for (let i = 0; i < lines / 10; i++) files[`r${i}.txt`] = `p${i}\n`;
  return files;
}

const apps = SIZES.map((lines) => ({ lines, files: appFiles(lines), times: [] }));
// interleaved rounds, so that every size sees the same machine state; round 0 warms up
for (let round = 0; round < runs + 1; round++) {
  for (const a of apps) {
    // a fresh app each time: an app parses its files once, then answers from what it parsed
    const app = appFrom('/app', a.files);
    gc();
    const start = performance.now();
    appReads(app, {});
    if (round > 0) a.times.push(performance.now() - start);
  }
}
const rows = apps.map(({ lines, times }) => {
  const total = lines + lines / 10;
  const ms = median(times);
  return { lines: total, files: lines / 10 + 1, ms, perKLine: ms / (total / 1000) };
});
const ratio = rows.at(-1).perKLine / rows[0].perKLine;
console.log(
  table(
    ['requirement lines', 'files', 'appReads (median)', 'per 1,000 lines'],
    rows.map((r) => [r.lines.toLocaleString('en'), String(r.files), `${r.ms.toFixed(1)} ms`, `${r.perKLine.toFixed(2)} ms`]),
  ),
);
console.log(`\ntime per line, largest vs smallest: ${ratio.toFixed(2)}x (target <= ${TARGET_RATIO}x: ${verdict(ratio <= TARGET_RATIO)})`);
report('plan', { machine: machine(), runs, rows, ratio, target: TARGET_RATIO, met: ratio <= TARGET_RATIO });
