import { environments } from "../../environments";
import { environmentNames } from "../../scripts/lib/rehearsal/targets";
import { missingTools, selectTargets } from "../../scripts/rehearse";

describe("npm run rehearse", () => {
  it("takes the environments from environments/index.ts, whatever their names", () => {
    expect(environmentNames()).toEqual(Object.keys(environments));
    expect(selectTargets(["--all"], ["dev", "qa-eu"])).toEqual({ names: ["dev", "qa-eu", "module", "package"] });
    expect(selectTargets(["qa-eu", "module"], ["dev", "qa-eu"])).toEqual({ names: ["qa-eu", "module"] });
  });

  it("refuses an unknown target, naming the known ones", () => {
    expect(selectTargets(["prd"], ["dev", "prod"])).toEqual({
      error:
        "unknown target prd; known: dev, prod, module, package\n" +
        "usage: npm run rehearse -- <env>... | module | package | --all [--report <file.json>]",
    });
    expect(selectTargets([], ["dev"])).toHaveProperty("error");
    expect(selectTargets(["--all", "dev"], ["dev"])).toHaveProperty("error");
  });

  it("names what is missing to rehearse here", () => {
    expect(missingTools({ PATH: "/nonexistent" })).toEqual([
      "terraform (1.11 or later)",
      'moto_server (pip install "moto[server]==5.2.1")',
    ]);
  });
});
