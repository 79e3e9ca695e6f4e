import { readFile } from 'node:fs/promises';
import { ociArch } from '../cnb/context.js';

/** `KEY=value` lines of os-release(5); values may be quoted. */
export function parseOsRelease(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!match?.[1]) continue;
    const raw = match[2] ?? '';
    fields[match[1]] = /^(["']).*\1$/.test(raw) ? raw.slice(1, -1) : raw;
  }
  return fields;
}

/**
 * `CNB_TARGET_*` for a build on this machine. The lifecycle takes them from the run image,
 * else from the build image's /etc/os-release; here both are this machine. Distro values
 * are set only when known, as the lifecycle does.
 */
export function targetVars(nodeArch: string, osRelease: Readonly<Record<string, string>>): Record<string, string> {
  const vars: Record<string, string> = { CNB_TARGET_OS: 'linux', CNB_TARGET_ARCH: ociArch(nodeArch) };
  if (osRelease.ID) vars.CNB_TARGET_DISTRO_NAME = osRelease.ID;
  if (osRelease.VERSION_ID) vars.CNB_TARGET_DISTRO_VERSION = osRelease.VERSION_ID;
  return vars;
}

export async function readTargetVars(): Promise<Record<string, string>> {
  const text = await readFile('/etc/os-release', 'utf8').catch(() => '');
  return targetVars(process.arch, parseOsRelease(text));
}
