// What uvicorn's access log costs per request on a FastAPI hello world: pywarp_uvicorn with the line
// written by pywarp_uvicorn_access (what `web` runs), with uvicorn's own line through the logging
// module, and with --no-access-log.
//   node bench/uvicorn-log.mjs [--rounds N] [--duration S] [--no-bundle]
// samples/fastapi is built once with pywarp; each configuration runs the image's venv Python on the
// layer's pywarp_uvicorn.py with one worker (callgrind follows one process), 127.0.0.1. How it
// measures: bench/log-cost.mjs.
import { join } from 'node:path';
import * as L from './lib.mjs';
import { measureLogCost } from './log-cost.mjs';

// pywarp_uvicorn with uvicorn.access left as uvicorn made it
const LOGGING_MODULE = [
  'import sys',
  'sys.path.insert(0, sys.argv[1])',
  'import pywarp_uvicorn_access',
  'pywarp_uvicorn_access.install = lambda: None',
  'import pywarp_uvicorn',
  'sys.argv[1:2] = []',
  'sys.exit(pywarp_uvicorn.main(prog_name="uvicorn"))',
].join('\n');

await measureLogCost({
  name: 'uvicorn-log',
  prepare: (dir) => L.copySample('fastapi', dir),
  configs: [
    { name: 'no access log', flag: '--no-access-log' },
    { name: 'direct line (--access-log)', flag: '--access-log' },
    { name: "uvicorn's logging module", flag: '--access-log', loggingModule: true },
  ],
  command(config, port, ctx) {
    const head = config.loggingModule ? ['-c', LOGGING_MODULE, ctx.launcherDir] : [join(ctx.launcherDir, 'pywarp_uvicorn.py')];
    const args = [...head, '--host', '127.0.0.1', '--port', String(port), '--workers', '1', config.flag, 'main:app'];
    return { file: join(ctx.venv, 'bin', 'python'), args, env: ctx.env };
  },
});
