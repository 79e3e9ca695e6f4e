import { nextSteps } from './next-steps.js';

const pkg = { id: 'pywarp/python', version: '0.1.0' };

test('a tgz: pack build with it, or a buildpack image through package.toml, on its platform', () => {
  expect(nextSteps({ ...pkg, path: '/repo/out/pywarp-python-0.1.0-amd64.tgz', format: 'tgz', arches: ['amd64'] })).toEqual([
    'Build an app with it:',
    "  pack build my-app --path '<app dir>' --builder heroku/builder:24 --platform linux/amd64 --buildpack /repo/out/pywarp-python-0.1.0-amd64.tgz",
    'Or make a buildpack image (package.toml points at the amd64 .tgz; run from the repository root) and build with that:',
    '  pack buildpack package pywarp/python:0.1.0 --config package.toml --target linux/amd64',
    "  pack build my-app --path '<app dir>' --builder heroku/builder:24 --platform linux/amd64 --buildpack pywarp/python:0.1.0 --pull-policy if-not-present",
  ]);
});

test('an arm64 directory builds on linux/arm64 and has no package.toml route', () => {
  expect(nextSteps({ ...pkg, path: '/repo/out/pywarp-python-0.1.0-arm64', format: 'dir', arches: ['arm64'] })).toEqual([
    'Build an app with it:',
    "  pack build my-app --path '<app dir>' --builder heroku/builder:24 --platform linux/arm64 --buildpack /repo/out/pywarp-python-0.1.0-arm64",
  ]);
});

test('an OCI layout: publish with skopeo or crane, then build from the registry', () => {
  expect(nextSteps({ ...pkg, path: '/repo/out/pywarp-python-0.1.0-oci', format: 'oci', arches: ['amd64', 'arm64'] })).toEqual([
    'Publish it, every architecture, with skopeo or crane:',
    '  skopeo copy --all oci:/repo/out/pywarp-python-0.1.0-oci:0.1.0 docker://registry.example.com/pywarp/python:0.1.0',
    '  crane push /repo/out/pywarp-python-0.1.0-oci registry.example.com/pywarp/python:0.1.0',
    'Then build an app with it:',
    "  pack build my-app --path '<app dir>' --builder heroku/builder:24 --platform linux/amd64 --buildpack docker://registry.example.com/pywarp/python:0.1.0",
  ]);
});
