import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathExists } from '../effects/fs.js';
import { formatImageMetadata, metadataPath, type ImageMetadata } from './image-metadata.js';

/**
 * A buildpack's layers in the image (`<layers>/<id>`) and where the previous image's copy
 * waits while bin/build runs (`<layers>/.previous/<id>`). Layers hold absolute paths (a
 * venv's interpreter, its scripts' shebangs), so bin/build must write where the image is
 * launched from, as under the real lifecycle's fixed /layers: the previous image is set
 * aside, not copied, and put back if the build does not succeed.
 */
export interface ImageDirs {
  layersDir: string;
  bpLayersDir: string;
  previousDir: string;
}

/** Holds the previous image while a build runs; its presence means a build has not ended. */
const ASIDE = '.previous';
/** `.previous` renamed once the new image is complete: the switch itself, one rename. */
const SUPERSEDED = '.superseded';
/** Marks, in `.previous`, a buildpack that had no layers in the previous image. */
const ABSENT = '.absent';

export function imageDirs(layersDir: string, escapedId: string): ImageDirs {
  return { layersDir, bpLayersDir: path.join(layersDir, escapedId), previousDir: path.join(layersDir, ASIDE, escapedId) };
}

const pendingMetadata = (layersDir: string) => `${metadataPath(layersDir)}.new`;

/** Whether a build that did not end (killed, or running now) left the image to be finished or put back. */
export async function interruptedBuildLeft(layersDir: string): Promise<boolean> {
  return (await pathExists(path.join(layersDir, ASIDE))) || (await pathExists(path.join(layersDir, SUPERSEDED)));
}

/**
 * Finishes the switch of a build that was killed after it (drops the previous image), or
 * puts back the image a build killed before it had set aside. Every step can be repeated,
 * so a recovery that is itself killed is finished by the next one. Call with the lock held.
 */
export async function recoverImage(layersDir: string): Promise<'none' | 'completed' | 'restored'> {
  const superseded = path.join(layersDir, SUPERSEDED);
  if (await pathExists(superseded)) {
    if (await pathExists(pendingMetadata(layersDir))) await rename(pendingMetadata(layersDir), metadataPath(layersDir));
    await rm(superseded, { recursive: true, force: true });
    return 'completed';
  }
  const aside = path.join(layersDir, ASIDE);
  if (!(await pathExists(aside))) return 'none';
  for (const name of await readdir(aside)) {
    if (name.endsWith(ABSENT)) {
      await rm(path.join(layersDir, name.slice(0, -ABSENT.length)), { recursive: true, force: true });
      await rm(path.join(aside, name), { force: true });
    } else {
      await rm(path.join(layersDir, name), { recursive: true, force: true });
      await rename(path.join(aside, name), path.join(layersDir, name));
    }
  }
  await rm(pendingMetadata(layersDir), { force: true });
  await rm(aside, { recursive: true, force: true });
  return 'restored';
}

/** Moves the previous image's layers aside and leaves an empty directory for bin/build. */
export async function setPreviousAside(dirs: ImageDirs): Promise<void> {
  await mkdir(path.dirname(dirs.previousDir), { recursive: true });
  if (await pathExists(dirs.bpLayersDir)) await rename(dirs.bpLayersDir, dirs.previousDir);
  else await writeFile(`${dirs.previousDir}${ABSENT}`, '');
  await mkdir(dirs.bpLayersDir, { recursive: true });
}

/** Puts the previous image back after a failed build. */
export async function putPreviousBack(dirs: ImageDirs): Promise<void> {
  await recoverImage(dirs.layersDir);
}

/**
 * Makes the new image the image: its metadata is written beside the old, then `.previous`
 * becomes `.superseded` (the point of no return), then the metadata is renamed into place.
 */
export async function switchImage(dirs: ImageDirs, metadata: ImageMetadata): Promise<void> {
  await mkdir(path.dirname(metadataPath(dirs.layersDir)), { recursive: true });
  await writeFile(pendingMetadata(dirs.layersDir), formatImageMetadata(metadata));
  await rename(path.join(dirs.layersDir, ASIDE), path.join(dirs.layersDir, SUPERSEDED));
  await recoverImage(dirs.layersDir);
}
