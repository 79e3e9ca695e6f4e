import { nextSteps } from './next-steps.js';

test('the pack commands name the package, the amd64 platform and package.toml', () => {
  expect(nextSteps({ path: '/repo/out/pywarp-python-0.1.0.tgz', id: 'pywarp/python', version: '0.1.0' })).toEqual([
    'Build an app with it:',
    "  pack build my-app --path '<app dir>' --builder heroku/builder:24 --platform linux/amd64 --buildpack /repo/out/pywarp-python-0.1.0.tgz",
    'Or make a buildpack image (package.toml points at the .tgz; run from the repository root) and build with that:',
    '  pack buildpack package pywarp/python:0.1.0 --config package.toml --target linux/amd64',
    "  pack build my-app --path '<app dir>' --builder heroku/builder:24 --platform linux/amd64 --buildpack pywarp/python:0.1.0 --pull-policy if-not-present",
  ]);
});
