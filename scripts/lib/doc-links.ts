import { existsSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { type Node, Parser } from "commonmark";

/** A link or image in a Markdown file, with the line of the block it sits in. */
export interface MarkdownLink {
  readonly target: string;
  readonly line: number;
}

/**
 * Characters GitHub drops from a heading's text when it makes the anchor (github-slugger's
 * rule): other numbers, all punctuation but the connector `_` and the ASCII `-`, symbols,
 * controls and separators but the space. Letters, marks and digits of any script stay.
 */
const DROPPED = /[\p{No}\p{Pd}\p{Ps}\p{Pe}\p{Pi}\p{Pf}\p{Po}\p{S}\p{C}\p{Z}]/u;

/** One heading's anchor as GitHub spells it, before duplicates are numbered. */
export function githubSlug(heading: string): string {
  return [...heading.toLowerCase()]
    .filter((c) => c === " " || c === "-" || !DROPPED.test(c) || /\p{Alphabetic}/u.test(c))
    .join("")
    .replace(/ /g, "-");
}

/** The text a heading renders to: its text and code, without the Markdown around them. */
function renderedText(node: Node): string {
  let text = "";
  const walker = node.walker();
  for (let event = walker.next(); event; event = walker.next()) {
    if (!event.entering) continue;
    const { type, literal } = event.node;
    if (type === "text" || type === "code") text += literal ?? "";
    else if (type === "softbreak" || type === "linebreak") text += " ";
  }
  return text;
}

/** Every anchor a file's headings get on GitHub, in order; a repeated heading gets `-1`, `-2`, .... */
export function headingAnchors(markdown: string): string[] {
  const seen = new Map<string, number>();
  const anchors: string[] = [];
  const walker = new Parser().parse(markdown).walker();
  for (let event = walker.next(); event; event = walker.next()) {
    if (!event.entering || event.node.type !== "heading") continue;
    const base = githubSlug(renderedText(event.node));
    let anchor = base;
    while (seen.has(anchor)) {
      const count = (seen.get(base) ?? 0) + 1;
      seen.set(base, count);
      anchor = `${base}-${count}`;
    }
    seen.set(anchor, 0);
    anchors.push(anchor);
  }
  return anchors;
}

/** Every link and image in a Markdown file (not those inside code), with the line of its block. */
export function markdownLinks(markdown: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  const walker = new Parser().parse(markdown).walker();
  for (let event = walker.next(); event; event = walker.next()) {
    const { node } = event;
    if (!event.entering || (node.type !== "link" && node.type !== "image") || node.destination === null) continue;
    // Inline nodes carry no position in commonmark.js: report the block's first line.
    let block: Node | null = node;
    while (block && !block.sourcepos) block = block.parent;
    links.push({ target: node.destination, line: block?.sourcepos?.[0][0] ?? 0 });
  }
  return links;
}

export interface LinkCheckOptions {
  /** The repository's root; every file and target is relative to it. */
  readonly root: string;
  /** The Markdown files to check, relative to root. */
  readonly files: readonly string[];
  /** Every file a link may point at (tracked, or new and not ignored), relative to root. */
  readonly known: ReadonlySet<string>;
  /** Files another branch adds: a link to one of them (without an anchor) passes while it does not exist. */
  readonly pending?: ReadonlySet<string>;
}

/** A link with a scheme (`https:`, `mailto:`) or to another host leaves the repository: not checked. */
const EXTERNAL = /^([a-z][a-z0-9+.-]*:|\/\/)/i;
/** GitHub's line anchors into a file that is not Markdown: `#L12`, `#L12-L20`. */
const LINE_ANCHOR = /^L(\d+)(?:-L(\d+))?$/;

/**
 * Every relative link and `#anchor` in the files that does not resolve on GitHub: the target
 * must be a file or folder of the repository, and an anchor a heading of the Markdown file it
 * points into (or a line of another file). One message a problem, `file:line: target: why`.
 */
export function brokenLinks(options: LinkCheckOptions): string[] {
  const { root, known, pending = new Set<string>() } = options;
  const folders = new Set([...known].flatMap((file) => ancestors(file)));
  const anchorsOf = new Map<string, Set<string>>();
  const anchors = (file: string) => {
    if (!anchorsOf.has(file)) anchorsOf.set(file, new Set(headingAnchors(readFileSync(join(root, file), "utf8"))));
    return anchorsOf.get(file)!;
  };
  const problems: string[] = [];
  for (const file of options.files) {
    for (const { target, line } of markdownLinks(readFileSync(join(root, file), "utf8"))) {
      if (EXTERNAL.test(target)) continue;
      const why = whyBroken(file, target);
      if (why) problems.push(`${file}:${line}: ${target}: ${why}`);
    }
  }
  return problems;

  function whyBroken(file: string, target: string): string | undefined {
    const hash = target.indexOf("#");
    let pathPart: string;
    let anchor: string | undefined;
    try {
      pathPart = decodeURIComponent((hash < 0 ? target : target.slice(0, hash)).replace(/\?.*$/, ""));
      anchor = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
    } catch {
      return "not a valid URL (a stray %)";
    }
    // GitHub reads a link that starts with / from the repository's root, any other from the file's folder.
    const resolved =
      pathPart === "" ? file : posix.normalize(pathPart.startsWith("/") ? pathPart.slice(1) : posix.join(posix.dirname(file), pathPart));
    const path = resolved.replace(/\/$/, "") || ".";
    if (path === ".." || path.startsWith("../")) return "points outside the repository";
    const isFile = known.has(path) && existsSync(join(root, path));
    const isFolder = path === "." || folders.has(path);
    if (!isFile && !isFolder) {
      if (pending.has(path) && anchor === undefined) return undefined;
      return pending.has(path) ? "an anchor into a file that does not exist yet" : `no file or folder ${path} in the repository`;
    }
    if (anchor === undefined || anchor === "") return undefined;
    if (isFolder && !isFile) return `an anchor into a folder`;
    if (posix.extname(path).toLowerCase() === ".md") {
      return anchors(path).has(anchor) ? undefined : `no heading with the anchor #${anchor} in ${path}`;
    }
    const lines = LINE_ANCHOR.exec(anchor);
    if (!lines) return `#${anchor} is neither a heading (${path} is not Markdown) nor a line`;
    const count = readFileSync(join(root, path), "utf8").split("\n").length;
    const last = Number(lines[2] ?? lines[1]);
    return last <= count ? undefined : `${path} has ${count} lines, not ${last}`;
  }
}

function ancestors(file: string): string[] {
  const parts = file.split("/");
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join("/"));
}
