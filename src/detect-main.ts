// bin/detect's entry point, bundled on its own (dist/detect.cjs) so that detect loads a
// few kilobytes instead of the whole buildpack. bin/detect decides most apps in sh
// (dist/detect.sh, src/plan/detect-fast-path.ts) and runs this only for the rest.
import { readdir, writeFile } from 'node:fs/promises';
import { readDetectContext } from './cnb/context.js';
import type { Env } from './cnb/env.js';
import { EXIT } from './cnb/exit-codes.js';
import { DETECT_PLAN, PYTHON_PROJECT_MARKERS, pythonProjectMarkers } from './plan/detect.js';
import { detect as msg } from './output/messages.js';
import { debugRequested, renderError } from './output/render-error.js';

export async function runDetect(env: Env, argv: readonly string[], cwd: string): Promise<number> {
  const ctx = readDetectContext(env, argv, cwd);
  // Names are enough here; the build reads contents.
  const names = new Set(await readdir(ctx.appDir));
  const markers = pythonProjectMarkers({ files: names, dirs: names });
  if (markers.length === 0) {
    process.stdout.write(`${msg.failed(PYTHON_PROJECT_MARKERS)}\n`);
    return EXIT.detectFail;
  }
  await writeFile(ctx.planPath, DETECT_PLAN);
  process.stdout.write(`${msg.passed(markers)}\n`);
  return EXIT.ok;
}

const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
runDetect(env, process.argv.slice(2), process.cwd()).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const { title, body } = renderError(err, { debug: debugRequested(env) });
    process.stderr.write(`pywarp detect: ${title}\n${body}\n`);
    process.exitCode = EXIT.error;
  },
);
