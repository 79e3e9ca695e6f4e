import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Launch, Process } from '../cnb/launch-toml.js';
import { isStringArray, isTable, parseToml, stringifyToml, type TomlTable } from '../cnb/toml.js';
import { BuildError } from '../output/build-error.js';

/**
 * `<layers>/config/metadata.toml`: what the exporter records about an image and the
 * launcher reads back: the buildpacks in build order and the processes.
 */
export interface ImageMetadata {
  buildpacks: { id: string; version: string; api: string }[];
  processes: ImageProcess[];
  defaultProcess?: string;
}

export type ImageProcess = Omit<Process, 'default'> & { buildpackId: string };

/** A metadata.toml that breaks the spec. */
function invalid(problem: string): BuildError {
  return new BuildError({ kind: 'cnb-format', format: 'metadata.toml', problem });
}

export function metadataPath(layersDir: string): string {
  return path.join(layersDir, 'config', 'metadata.toml');
}

export function imageMetadata(buildpack: { id: string; version: string; api: string }, launch: Launch): ImageMetadata {
  const defaultProcess = launch.processes.find((p) => p.default)?.type;
  return {
    buildpacks: [buildpack],
    processes: launch.processes.map(({ default: _, ...p }) => ({ ...p, buildpackId: buildpack.id })),
    ...(defaultProcess ? { defaultProcess } : {}),
  };
}

/** "web (default), worker", in launch.toml order. */
export function describeProcesses(metadata: ImageMetadata): string {
  if (metadata.processes.length === 0) return '(none)';
  return metadata.processes.map((p) => (p.type === metadata.defaultProcess ? `${p.type} (default)` : p.type)).join(', ');
}

export function formatImageMetadata(metadata: ImageMetadata): string {
  return stringifyToml({
    ...(metadata.defaultProcess ? { 'buildpack-default-process-type': metadata.defaultProcess } : {}),
    buildpacks: metadata.buildpacks,
    processes: metadata.processes.map((p) => ({
      type: p.type,
      command: p.command,
      ...(p.args ? { args: p.args } : {}),
      ...(p.workingDir !== undefined ? { 'working-dir': p.workingDir } : {}),
      'buildpack-id': p.buildpackId,
    })),
  });
}

function readProcess(raw: unknown): ImageProcess {
  const ok =
    isTable(raw) &&
    typeof raw.type === 'string' &&
    isStringArray(raw.command) &&
    typeof raw['buildpack-id'] === 'string' &&
    (raw.args === undefined || isStringArray(raw.args)) &&
    (raw['working-dir'] === undefined || typeof raw['working-dir'] === 'string');
  if (!ok) throw invalid('metadata.toml has a malformed process');
  const table = raw as TomlTable;
  return {
    type: table.type as string,
    command: table.command as string[],
    ...(table.args ? { args: table.args as string[] } : {}),
    ...(table['working-dir'] !== undefined ? { workingDir: table['working-dir'] as string } : {}),
    buildpackId: table['buildpack-id'] as string,
  };
}

export function parseImageMetadata(text: string): ImageMetadata {
  const table = parseToml(text, 'metadata.toml');
  const buildpacks = Array.isArray(table.buildpacks) ? table.buildpacks : [];
  const isBuildpack = (b: unknown) => isTable(b) && typeof b.id === 'string' && typeof b.version === 'string' && typeof b.api === 'string';
  if (!buildpacks.every(isBuildpack)) throw invalid('metadata.toml has a malformed buildpack');
  const defaultProcess = table['buildpack-default-process-type'];
  return {
    buildpacks: buildpacks.map((b: TomlTable) => ({ id: b.id as string, version: b.version as string, api: b.api as string })),
    processes: (Array.isArray(table.processes) ? table.processes : []).map(readProcess),
    ...(typeof defaultProcess === 'string' ? { defaultProcess } : {}),
  };
}

/** Undefined when nothing was built into `layersDir` yet. */
export async function readImageMetadata(layersDir: string): Promise<ImageMetadata | undefined> {
  const text = await readFile(metadataPath(layersDir), 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  return text === undefined ? undefined : parseImageMetadata(text);
}
