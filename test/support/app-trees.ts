// The apps the tests write, read from their sources: each object literal with quoted keys
// (writeApp's and writeTree's path → content maps) as the top-level entries it makes. A
// literal that spreads another object in (`{ '.python-version': …, ...row.files }`) is
// also joined with every other tree of its file, which covers what the spread can be.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import ts from 'typescript';

/** An app's top level: name → whether writing the tree makes it a file or a directory. */
export type TopLevel = Record<string, 'file' | 'dir'>;

function topLevel(literal: ts.ObjectLiteralExpression): { tree: TopLevel; spreads: boolean } | undefined {
  const out: TopLevel = {};
  let spreads = false;
  for (const prop of literal.properties) {
    if (ts.isSpreadAssignment(prop)) {
      spreads = true;
      continue;
    }
    if (!ts.isPropertyAssignment(prop) || !ts.isStringLiteral(prop.name)) return undefined;
    // writeApp's `+x` suffix marks an executable, not part of the name.
    const parts = prop.name.text.replace(/\+x$/, '').split('/');
    if (parts.some((p) => p === '' || p === '.' || p === '..')) return undefined;
    const [first] = parts as [string, ...string[]];
    out[first] = parts.length > 1 || out[first] === 'dir' ? 'dir' : 'file';
  }
  return Object.keys(out).length ? { tree: out, spreads } : undefined;
}

const union = (a: TopLevel, b: TopLevel): TopLevel => {
  const out = { ...a };
  for (const [name, kind] of Object.entries(b)) out[name] = out[name] === 'dir' ? 'dir' : kind;
  return out;
};

/** Every distinct app tree in the .ts files of `dirs` (not recursive), with where it is written. */
export async function appTreesInSources(dirs: readonly string[]): Promise<{ source: string; tree: TopLevel }[]> {
  const seen = new Set<string>();
  const found: { source: string; tree: TopLevel }[] = [];
  const add = (source: string, tree: TopLevel) => {
    const key = JSON.stringify(Object.entries(tree).sort());
    if (!seen.has(key)) {
      seen.add(key);
      found.push({ source, tree });
    }
  };
  for (const dir of dirs) {
    for (const name of (await readdir(dir)).filter((n) => n.endsWith('.ts')).sort()) {
      const file = path.join(dir, name);
      const source = ts.createSourceFile(file, await readFile(file, 'utf8'), ts.ScriptTarget.ES2022, true);
      const trees: { where: string; tree: TopLevel; spreads: boolean }[] = [];
      const visit = (node: ts.Node): void => {
        const literal = ts.isObjectLiteralExpression(node) ? topLevel(node) : undefined;
        if (literal)
          trees.push({
            where: `${path.basename(dir)}/${name}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`,
            ...literal,
          });
        ts.forEachChild(node, visit);
      };
      visit(source);
      for (const t of trees) add(t.where, t.tree);
      for (const t of trees.filter((x) => x.spreads)) {
        for (const other of trees) if (other !== t) add(`${t.where} with ${other.where}`, union(t.tree, other.tree));
      }
    }
  }
  return found;
}
