import { MAX_KEY_BYTES, setAsideKey, sourceOutputKeys } from "../../../../functions/processor/sources/source-identity";
import { ODD_KEYS } from "../../../support/odd-keys";

const ID = "3f2a9c01b7d4e5f60718293a4b5c6d7e";
const at = (key: string, versionId?: string) => ({ key, lastModified: "2026-11-23T10:00:00.000Z", ...(versionId ? { versionId } : {}) });

describe("sourceOutputKeys", () => {
  it("names an ordinary source's outputs after it, by arrival day and identity", () => {
    expect(sourceOutputKeys(at("incoming/orders/eu.jsonl"), ID)).toEqual({
      processed: "processed/2026-11-23/orders/eu.3f2a9c01b7d4.jsonl",
      quarantine: "quarantine/2026-11-23/orders/eu.3f2a9c01b7d4.jsonl",
      archive: "archive/2026-11-23/orders/eu.3f2a9c01b7d4.jsonl",
    });
    expect(setAsideKey(at("incoming/orders/eu.jsonl"), ID)).toBe("quarantine/2026-11-23/orders/eu.3f2a9c01b7d4.set-aside.jsonl");
  });

  it.each([
    ["incoming/./a/../b.jsonl", "processed/2026-11-23/_./a/_../b.3f2a9c01b7d4.jsonl"],
    ["incoming/../escape.jsonl", "processed/2026-11-23/_../escape.3f2a9c01b7d4.jsonl"],
    ["incoming/a//b.jsonl", "processed/2026-11-23/a/_/b.3f2a9c01b7d4.jsonl"],
    ["incoming/folder/", "processed/2026-11-23/folder/_.3f2a9c01b7d4.jsonl"],
    ["incoming/Bestellung-日本.jsonl", "processed/2026-11-23/Bestellung-日本.3f2a9c01b7d4.jsonl"],
  ])("gives %j outputs no empty, . or .. segment", (key, processed) => {
    expect(sourceOutputKeys(at(key), ID).processed).toBe(processed);
  });

  it("fits every output of the longest keys in 1,024 bytes, a range's part suffix included, cut at a character", () => {
    for (const key of [...ODD_KEYS, `incoming/${"é".repeat(507)}`, `incoming/${"x".repeat(1015)}`]) {
      const versioned = at(key, "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY+MTRCxf3vjVBH40Nr8X8gdRQBpUMLUo");
      const keys = { ...sourceOutputKeys(versioned, ID), setAside: setAsideKey(versioned, ID) };
      // A large source's ranges write `….part-00042.jsonl` beside processed/ and quarantine/.
      const withParts = [keys.processed, keys.quarantine].map((k) => k.replace(/\.jsonl$/, ".part-00042.jsonl"));
      for (const output of [...Object.values(keys), ...withParts]) {
        expect(Buffer.byteLength(output)).toBeLessThanOrEqual(MAX_KEY_BYTES);
        expect(output).not.toContain("\uFFFD");
        expect(output).toContain(".3f2a9c01b7d4");
      }
    }
  });
});
