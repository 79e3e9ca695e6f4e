// ASGI apps built and served with the real servers from the fixtures (uvicorn, gunicorn with
// uvicorn workers, hypercorn, daphne), requested on 127.0.0.1.
import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { writeApp } from '../support/apps.js';
import { buildApp, useFixtureBuildpack } from '../support/fixture-buildpack.js';
import { freePort, get, waitForHttp } from '../support/http.js';
import { stop } from '../support/processes.js';
import { TestImage } from '../support/pywarp.js';
import { repoRoot } from '../support/fixtures.js';
import { serve } from '../support/serve.js';
import { websocketEcho } from '../support/websocket.js';

jest.setTimeout(600_000);

const setup = useFixtureBuildpack('pywarp-asgi-');

test('a FastAPI main.py with no server in its requirements: uvicorn is added and web serves JSON', async () => {
  const { app, image, output } = await buildApp(setup, 'fastapi-bare', {
    'requirements.txt': 'fastapi\n',
    'main.py': 'from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/")\ndef root():\n    return {"hello": "json"}\n',
  });
  expect(output).toContain('main.py defines the ASGI app main:app and starts no server itself, so it is served.');
  expect(output).toContain('adding uvicorn==0.17.6');
  expect(output).toMatch(/^web: .*uvicorn/m);
  await serve(image, app, '{"hello":"json"}');
});

test('samples/fastapi: web (uvicorn), gunicorn with uvicorn workers and hypercorn; a websocket echo through web', async () => {
  const { app, image } = await buildApp(setup, 'fastapi', { sample: 'fastapi' });
  for (const env of [{}, { PYWARP_SERVER_TYPE: 'gunicorn' }, { PYWARP_SERVER_TYPE: 'hypercorn' }] as Record<string, string>[])
    await serve(image, app, 'Hello from FastAPI', { env });
  const port = await freePort();
  const child = image.launch(app, { env: { PORT: String(port), PYWARP_HOST: '127.0.0.1' } });
  let out = '';
  child.all?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  try {
    await waitForHttp(`http://127.0.0.1:${port}/`, 60_000, () => out);
    expect(await websocketEcho(port, '/ws', 'ping over ASGI')).toBe('ping over ASGI');
  } finally {
    await stop(child);
  }
});

test('SIGTERM during a slow request: it completes, and web exits 0', async () => {
  const { app, image } = await buildApp(setup, 'fastapi-slow', { sample: 'fastapi' });
  const port = await freePort();
  const child = image.launch(app, { env: { PORT: String(port), PYWARP_HOST: '127.0.0.1' } });
  let out = '';
  child.all?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  await waitForHttp(`http://127.0.0.1:${port}/`, 60_000, () => out);
  const slow = get(`http://127.0.0.1:${port}/slow?seconds=2`);
  await new Promise((r) => setTimeout(r, 500));
  const stopped = stop(child);
  const answer = await slow;
  expect([answer.status, answer.body]).toEqual([200, '{"slept":2.0}']);
  expect((await stopped).exitCode).toBe(0);
});

test('a Starlette asgi.py', async () => {
  const { app, image, output } = await buildApp(setup, 'starlette', {
    'requirements.txt': 'starlette\nuvicorn\n',
    'asgi.py':
      'from starlette.applications import Starlette\nfrom starlette.responses import PlainTextResponse\nfrom starlette.routing import Route\n\n\nasync def home(request):\n    return PlainTextResponse("Hello from Starlette")\n\napp = Starlette(routes=[Route("/", home)])\n',
  });
  expect(output).toContain('asgi.py provides the ASGI application asgi:app.');
  await serve(image, app, 'Hello from Starlette');
});

test('samples/django-asgi: ASGI_APPLICATION with daphne', async () => {
  const { app, image, output } = await buildApp(setup, 'django-asgi', { sample: 'django-asgi' });
  expect(output).toContain(
    "Django's ASGI_APPLICATION mysite.asgi:application is served instead, because the requirements name an ASGI server.",
  );
  await serve(image, app, 'Hello from Django over ASGI!');
});

test("a lifespan startup that fails stops web, with the app's exception as the cause", async () => {
  const { app, image } = await buildApp(setup, 'fastapi-startup-fails', {
    'requirements.txt': 'fastapi\nuvicorn\ngunicorn\nhypercorn\n',
    'main.py': [
      'from fastapi import FastAPI',
      '',
      'app = FastAPI()',
      '',
      '',
      '@app.on_event("startup")',
      'async def connect():',
      '    raise RuntimeError("database unreachable")',
      '',
    ].join('\n'),
  });
  // uvicorn with 2 workers (its supervisor) and gunicorn's uvicorn workers would keep running without one
  for (const env of [{}, { PYWARP_SERVER_TYPE: 'gunicorn' }, { PYWARP_SERVER_TYPE: 'hypercorn' }] as Record<string, string>[]) {
    const child = image.launch(app, { env: { PORT: String(await freePort()), PYWARP_HOST: '127.0.0.1', WEB_CONCURRENCY: '2', ...env } });
    const bound = setTimeout(() => void stop(child), 60_000);
    const result = await child;
    clearTimeout(bound);
    const last = (result.all ?? '').trimEnd().split('\n').at(-1);
    expect([result.exitCode === 0, last]).toEqual([
      false,
      expect.stringMatching(/^pywarp: web \(\w+\) exited with status \d+: .*database unreachable/),
    ]);
  }
});

test("Django's ASGI handler, which refuses lifespan events, is served by uvicorn", async () => {
  const app = join(setup.work, 'django-asgi-uvicorn', 'app');
  await cp(join(repoRoot(), 'samples', 'django-asgi'), app, { recursive: true });
  await writeFile(join(app, 'requirements.txt'), 'Django==3.2.25\nuvicorn\n');
  const image = new TestImage(join(setup.work, 'django-asgi-uvicorn'), setup.bp);
  const build = await image.build(app, { PIP_INDEX_URL: `${setup.server.url}/wheelhouse/simple/` });
  expect([build.exitCode, build.output]).toEqual([0, expect.stringMatching(/^web: uvicorn/m)]);
  const output = await serve(image, app, 'Hello from Django over ASGI!');
  expect(output).toContain("ASGI 'lifespan' protocol appears unsupported.");
});

test('BP_PYTHON_SERVER=waitress for an ASGI app is a titled error naming the servers that can run it', async () => {
  const app = await writeApp(join(setup.work, 'wrong-server', 'app'), {
    'requirements.txt': 'fastapi\n',
    'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
  });
  const result = await new TestImage(join(setup.work, 'wrong-server'), setup.bp).build(app, {
    PIP_INDEX_URL: `${setup.server.url}/wheelhouse/simple/`,
    BP_PYTHON_SERVER: 'waitress',
  });
  expect(result.exitCode).toBe(1);
  expect(result.output).toContain('[Error: BP_PYTHON_SERVER names waitress, which cannot run this ASGI app]');
});
