// What waitress' access log costs per request on a Flask hello world: pywarp_waitress with its line
// written from waitress' task level (what --access-log does), with the WSGI wrapper it falls back to
// for unknown waitress versions, and with --no-access-log.
//   node bench/waitress-log.mjs [--rounds N] [--duration S] [--no-bundle]
// samples/warpdrive-flask is built once with pywarp; each configuration runs the image's venv Python on
// the layer's pywarp_waitress.py as `web` does (--threads 32, 127.0.0.1). How it measures: bench/log-cost.mjs.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as L from './lib.mjs';
import { measureLogCost } from './log-cost.mjs';

// pywarp_waitress as if waitress' task classes were unknown (see its task_logging_channel)
const FALLBACK = [
  'import sys',
  'sys.path.insert(0, sys.argv[1])',
  'import pywarp_waitress',
  'pywarp_waitress.task_logging_channel = lambda channel_class, write: None',
  'sys.exit(pywarp_waitress.main(sys.argv[2:]))',
].join('\n');

await measureLogCost({
  name: 'waitress-log',
  prepare(dir) {
    const app = L.copySample('warpdrive-flask', dir);
    writeFileSync(join(app, 'requirements.txt'), 'Flask\nwaitress\n');
    return app;
  },
  configs: [
    { name: 'no access log', flag: '--no-access-log' },
    { name: 'task level (--access-log)', flag: '--access-log' },
    { name: 'wrapper (the fallback)', flag: '--access-log', fallback: true },
  ],
  command(config, port, ctx) {
    const script = join(ctx.launcherDir, 'pywarp_waitress.py');
    const head = config.fallback ? ['-c', FALLBACK, ctx.launcherDir] : [script];
    const args = [...head, '--listen', `127.0.0.1:${port}`, '--threads', '32', '--graceful-timeout', '8', config.flag, 'wsgi:application'];
    return { file: join(ctx.venv, 'bin', 'python'), args, env: ctx.env };
  },
});
