/**
 * The documentation holds together: every relative link in README.md, CONTRIBUTING.md and docs/
 * reaches a file of the repository (and a heading of it when it names an anchor), and every
 * `docs/protocols/<page>.md#anchor` cited in code names a heading that exists.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import GithubSlugger from 'github-slugger';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

function walk(dir: string, keep: (path: string) => boolean): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path, keep));
    else if (keep(path)) out.push(path);
  }
  return out;
}

/** The lines outside fenced code blocks. */
function prose(markdown: string): string[] {
  let fenced = false;
  return markdown.split('\n').filter((line) => {
    if (/^\s*```/.test(line)) {
      fenced = !fenced;
      return false;
    }
    return !fenced;
  });
}

/** The anchors GitHub gives a page's headings. */
function anchorsOf(path: string): Set<string> {
  const slugger = new GithubSlugger();
  const anchors = new Set<string>();
  for (const line of prose(readFileSync(path, 'utf8'))) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (m) anchors.add(slugger.slug(m[1]!.replace(/`/g, '')));
  }
  return anchors;
}

const pages = [
  join(root, 'README.md'),
  join(root, 'CONTRIBUTING.md'),
  ...walk(join(root, 'docs'), (p) => p.endsWith('.md')),
];

describe('documentation links', () => {
  it('finds the pages', () => {
    expect(pages.length).toBeGreaterThan(10);
  });

  it.each(pages.map((p) => [relative(root, p), p]))('%s: every relative link resolves', (_, page) => {
    const broken: string[] = [];
    for (const line of prose(readFileSync(page, 'utf8'))) {
      for (const m of line.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!;
        if (/^[a-z]+:/i.test(target)) continue; // https:, mailto:
        const [file, anchor] = target.split('#') as [string, string | undefined];
        const path = file === '' ? page : join(dirname(page), file);
        if (!existsSync(path)) {
          broken.push(`${target} (no such file)`);
          continue;
        }
        if (anchor !== undefined && !anchorsOf(path).has(anchor)) broken.push(`${target} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('every docs/protocols citation in the code names an existing heading', () => {
    const sources = ['src', 'providers', 'test', 'scripts', 'examples'].flatMap((d) =>
      walk(join(root, d), (p) => p.endsWith('.ts') && p !== import.meta.filename),
    );
    const anchors = new Map<string, Set<string>>();
    const broken: string[] = [];
    let cited = 0;
    for (const file of sources) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          // `docs/protocols/vault.md#a`, optionally followed on the line by `, #b` or `(#b…` for the same page.
          for (const m of line.matchAll(/docs\/protocols\/([\w-]+\.md)((?:#[a-z0-9-]+)?)/g)) {
            const page = join(root, 'docs', 'protocols', m[1]!);
            if (!existsSync(page)) {
              broken.push(`${relative(root, file)}:${i + 1} ${m[0]} (no such page)`);
              continue;
            }
            if (!anchors.has(page)) anchors.set(page, anchorsOf(page));
            const rest = line.slice(m.index! + m[0].length);
            const more = [...rest.matchAll(/(?<=[\s(,])#([a-z][a-z0-9-]*)/g)].map((x) => x[1]!);
            for (const anchor of [m[2]!.slice(1), ...more].filter(Boolean)) {
              cited++;
              if (!anchors.get(page)!.has(anchor)) broken.push(`${relative(root, file)}:${i + 1} #${anchor}`);
            }
          }
        });
    }
    expect(broken).toEqual([]);
    expect(cited).toBeGreaterThan(100);
  });
});

/** The relative link targets of a page (files or folders), as absolute paths without anchors. */
function linksOf(page: string): string[] {
  return prose(readFileSync(page, 'utf8')).flatMap((line) =>
    [...line.matchAll(/\]\(([^)\s#]+)(?:#[^)\s]*)?\)/g)]
      .map((m) => m[1]!)
      .filter((target) => !/^[a-z]+:/i.test(target))
      .map((target) => join(dirname(page), target).replace(/\/$/, '')),
  );
}

describe('README.md is the way in', () => {
  const readme = join(root, 'README.md');
  const docs = walk(join(root, 'docs'), (p) => p.endsWith('.md'));

  it('links every user page (docs/*.md, docs/providers/*.md) itself: add a line to its Documentation section', () => {
    const linked = new Set(linksOf(readme));
    const user = docs.filter((p) => ['docs', join('docs', 'providers')].includes(relative(root, dirname(p))));
    expect(user.length).toBeGreaterThan(10);
    expect(user.filter((p) => !linked.has(p)).map((p) => relative(root, p))).toEqual([]);
  });

  it('reaches every page under docs/ by following links (a folder link reaches the pages in it)', () => {
    const seen = new Set<string>();
    const queue = [readme];
    while (queue.length > 0) {
      const at = queue.pop()!;
      if (seen.has(at) || !existsSync(at)) continue;
      seen.add(at);
      if (statSync(at).isDirectory()) queue.push(...readdirSync(at).map((name) => join(at, name)));
      else if (at.endsWith('.md')) queue.push(...linksOf(at));
    }
    expect(docs.filter((p) => !seen.has(p)).map((p) => relative(root, p))).toEqual([]);
  });
});
