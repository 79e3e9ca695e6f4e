import { formatArgv } from '../output/log.js';
import { PACKAGE_PLATFORM } from './node-metadata.js';

// Any linux/amd64 builder with a shell and glibc on its build image; this one is common.
export const SUGGESTED_BUILDER = 'heroku/builder:24';

/**
 * The pack commands to try the package with. `--platform` keeps a multi-arch builder
 * on the arch of the shipped Node; the buildpack-image route goes through package.toml.
 */
export function nextSteps(pkg: { path: string; id: string; version: string }): string[] {
  const image = `${pkg.id}:${pkg.version}`;
  const build = (buildpack: string, ...extra: string[]) =>
    formatArgv(['pack', 'build', 'my-app', '--path', '<app dir>', '--builder', SUGGESTED_BUILDER, '--platform', PACKAGE_PLATFORM, '--buildpack', buildpack, ...extra]);
  return [
    'Build an app with it:',
    `  ${build(pkg.path)}`,
    'Or make a buildpack image (package.toml points at the .tgz; run from the repository root) and build with that:',
    `  ${formatArgv(['pack', 'buildpack', 'package', image, '--config', 'package.toml', '--target', PACKAGE_PLATFORM])}`,
    `  ${build(image, '--pull-policy', 'if-not-present')}`,
  ];
}
