import { join } from 'node:path';
import { repoRoot } from './fixtures.js';
import type { TestImage } from './pywarp.js';

/** What realtest_*.py need in the venv: every server, WhiteNoise, and Starlette for realtest_asgi.py. */
export const REALTEST_REQUIREMENTS = 'gunicorn\nwaitress\nuWSGI\nmod_wsgi\nwhitenoise\nuvicorn\nhypercorn\ndaphne\nstarlette\n';

/**
 * Runs layers/launcher's real-server tests (realtest_*.py) against an image's CPython and venv, in a
 * scrubbed environment: every one discovered, or the named modules and classes.
 */
export async function runRealtests(image: TestImage, names: string[] = []) {
  const { execa } = await import('execa');
  const layers = join(image.layers, 'pywarp_python');
  const launcher = join(repoRoot(), 'layers', 'launcher');
  // -v: each test's name is printed as it starts, so a run that times out names the test it was in
  const args = names.length
    ? ['-m', 'unittest', '-v', ...names]
    : ['-m', 'unittest', 'discover', '-v', '-s', launcher, '-p', 'realtest_*.py'];
  return execa('python3', args, {
    cwd: launcher,
    env: {
      PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
      HOME: image.home,
      PIP_CONFIG_FILE: '/dev/null',
      PYWARP_TEST_VENV: join(layers, 'venv'),
      PYWARP_TEST_PYTHON_HOME: join(layers, 'cpython'),
    },
    extendEnv: false,
    reject: false,
    all: true,
    timeout: 300_000,
  });
}
