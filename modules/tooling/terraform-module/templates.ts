import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The module's hand-written HCL lives in templates/ as .tf and .hcl files; the generator fills
 * their `{{slots}}` with values from the field descriptions and the rule tables, so no HCL is
 * written inside TypeScript strings.
 */
export const TEMPLATES = join(__dirname, "templates");

/** A template's text with every slot filled; a slot without a value, or a value for no slot, is an error. */
export function fillTemplate(path: string, slots: Readonly<Record<string, string | number>> = {}): string {
  return fill(readFileSync(join(TEMPLATES, path), "utf8"), slots, path);
}

/** A template's text as written, slots and all. */
export function readTemplate(path: string): string {
  return readFileSync(join(TEMPLATES, path), "utf8");
}

export function templateExists(path: string): boolean {
  return existsSync(join(TEMPLATES, path));
}

export function fill(text: string, slots: Readonly<Record<string, string | number>>, where: string): string {
  const used = new Set<string>();
  const filled = text.replace(/\{\{(\w+)\}\}/g, (_whole, name: string) => {
    if (!(name in slots)) throw new Error(`${where}: no value for the slot {{${name}}}`);
    used.add(name);
    return String(slots[name]);
  });
  const unused = Object.keys(slots).filter((name) => !used.has(name) && name !== "value");
  if (unused.length > 0) throw new Error(`${where}: no slot for ${unused.join(", ")}`);
  return filled;
}

/** One named condition of a rules file: `rule "<name>" { holds = ... }`, or `check` with an optional `rule` text. */
export interface NamedCondition {
  readonly name: string;
  /** The condition, with `{{value}}` where the value goes. */
  readonly holds: string;
  /** The rule's words, where the file states them. */
  readonly rule?: string;
}

/** The named conditions of a rules file, its other slots filled. */
export function namedConditions(text: string): NamedCondition[] {
  const found: NamedCondition[] = [];
  for (const match of text.matchAll(/^(?:rule|check) "(\w+)" \{([\s\S]*?)\}$/gm)) {
    const body = match[2];
    const holds = /holds\s*=\s*(.+)/.exec(body)?.[1]?.replace(/\s*$/, "");
    if (!holds) throw new Error(`condition ${match[1]} has no holds`);
    const rule = /rule\s*=\s*"((?:[^"\\]|\\.)*)"/.exec(body)?.[1];
    found.push({ name: match[1], holds, rule });
  }
  return found;
}
