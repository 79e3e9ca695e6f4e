import { formatArgv } from '../output/log.js';
import type { PackageResult } from './package.js';

// Any builder with a shell and glibc on its build image; this one is common, for amd64 and arm64.
export const SUGGESTED_BUILDER = 'heroku/builder:24';
/** Where the README's examples publish the image. */
export const EXAMPLE_REGISTRY = 'registry.example.com';

const build = (platform: string, buildpack: string, ...extra: string[]) =>
  formatArgv([
    'pack',
    'build',
    'my-app',
    '--path',
    '<app dir>',
    '--builder',
    SUGGESTED_BUILDER,
    '--platform',
    platform,
    '--buildpack',
    buildpack,
    ...extra,
  ]);

/**
 * The commands to try the package with. `--platform` keeps a multi-arch builder on the
 * arch of the shipped Node; the buildpack-image route goes through package.toml, or, for an
 * OCI layout, through a registry.
 */
export function nextSteps(pkg: Pick<PackageResult, 'path' | 'id' | 'version' | 'format' | 'arches'>): string[] {
  if (pkg.format === 'oci') {
    const ref = `${EXAMPLE_REGISTRY}/${pkg.id}:${pkg.version}`;
    return [
      'Publish it, every architecture, with skopeo or crane:',
      `  ${formatArgv(['skopeo', 'copy', '--all', `oci:${pkg.path}:${pkg.version}`, `docker://${ref}`])}`,
      `  ${formatArgv(['crane', 'push', pkg.path, ref])}`,
      'Then build an app with it:',
      `  ${build(`linux/${pkg.arches[0]}`, `docker://${ref}`)}`,
    ];
  }
  const platform = `linux/${pkg.arches[0]}`;
  const image = `${pkg.id}:${pkg.version}`;
  const lines = ['Build an app with it:', `  ${build(platform, pkg.path)}`];
  if (pkg.format === 'tgz') {
    lines.push(
      'Or make a buildpack image (package.toml points at the amd64 .tgz; run from the repository root) and build with that:',
      `  ${formatArgv(['pack', 'buildpack', 'package', image, '--config', 'package.toml', '--target', platform])}`,
      `  ${build(platform, image, '--pull-policy', 'if-not-present')}`,
    );
  }
  return lines;
}
