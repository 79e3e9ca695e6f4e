import path from 'node:path';

/** What a requirements file says that matters to the build, beyond what pip reads itself. */
export interface RequirementsInfo {
  /** Files included with -r/--requirement and -c/--constraint, relative to the app. */
  includes: string[];
  /** Project names required (PEP 503-normalized). */
  names: string[];
  /** Local directories installed in editable mode (-e path). */
  editablePaths: string[];
  /** Local paths or file: URLs installed normally: their contents are copied into the venv. */
  localPaths: string[];
  /** Logical lines (continuations joined, comments and blank lines dropped). */
  lines: number;
}

/** PEP 503 normalization. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

function isLocalPath(spec: string): boolean {
  return spec === '.' || spec.startsWith('./') || spec.startsWith('../') || spec.startsWith('/') || spec.startsWith('file:');
}

/** Joins backslash-continued lines and drops comments, as pip does. */
function logicalLines(text: string): string[] {
  return text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.replace(/(^|\s)#.*$/, '').trim())
    .filter(Boolean);
}

/** Parses one requirements file; `file` is its path relative to the app. */
export function parseRequirements(file: string, text: string): RequirementsInfo {
  const lines = logicalLines(text);
  const info: RequirementsInfo = { includes: [], names: [], editablePaths: [], localPaths: [], lines: lines.length };
  const dir = path.posix.dirname(file);
  for (const line of lines) {
    // pip's short options also take their value attached: -rcommon.txt, -e.
    const include = /^(?:(?:-r|-c)(?:\s*=\s*|\s*)|(?:--requirement|--constraint)(?:\s*=\s*|\s+))(\S+)/.exec(line);
    const editable = /^(?:-e(?:\s*=\s*|\s*)|--editable(?:\s*=\s*|\s+))(\S+)/.exec(line);
    if (include?.[1]) info.includes.push(path.posix.normalize(path.posix.join(dir, include[1])));
    else if (editable?.[1]) {
      if (isLocalPath(editable[1])) info.editablePaths.push(editable[1].replace(/^file:(\/\/)?/, ''));
    } else if (line.startsWith('-')) continue;
    else if (isLocalPath(line.split(/[\s;]/)[0] ?? '')) info.localPaths.push(line.split(/[\s;]/)[0] ?? '');
    else {
      const name = /^([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(line)?.[1];
      if (name) info.names.push(normalizeName(name));
    }
  }
  return info;
}
