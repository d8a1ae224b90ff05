import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { Token } from "cdktf";
import { Construct } from "constructs";
import type { ProcessingSpec } from "./processing-spec";
import { pinCollection } from "./support/addresses";
import { iteratorOf, knownKeys } from "./support/terraform-values";

export interface DataAccessPoliciesProps {
  /** `<project>-<env>`: the policies are `<prefix>-producer-<name>` and `<prefix>-reader-<name>`. */
  readonly namePrefix: string;
  readonly access: ProcessingSpec["access"];
}

/**
 * A managed policy for each producer and reader whose principals are in this account, for the
 * team to attach to them (the bucket policy lets in those of other accounts). Nothing else is
 * granted to them by this stack.
 */
export class DataAccessPolicies extends Construct {
  /** The names of the policies built, by kind; undefined when only Terraform knows them (the module). */
  private readonly built = new Map<string, readonly string[] | undefined>();

  constructor(scope: Construct, id: string, props: DataAccessPoliciesProps) {
    super(scope, id);
    for (const [address, kind, collection] of [
      ["producer", "Writes under its incoming/ prefix", props.access.producerPolicies],
      ["reader", "Reads and lists its output prefixes", props.access.readerPolicies],
    ] as const) {
      // A stack without such principals has no resource block at all (a module always has one).
      if (knownKeys(collection)?.length === 0) continue;
      this.built.set(address, knownKeys(collection));
      const each = iteratorOf(collection);
      pinCollection(
        new IamPolicy(this, address, {
          forEach: each,
          name: `${props.namePrefix}-${address}-${each.key}`,
          description: `${kind} in the task bucket of ${props.namePrefix}`,
          policy: each.getString("policy"),
        }),
        address,
        knownKeys(collection),
      );
    }
  }

  /** The policies' ARNs by producer (reader) name: references a stack can index, or (module) a for expression. */
  arns(address: "producer" | "reader"): Record<string, string> {
    if (!this.built.has(address)) return {};
    const names = this.built.get(address);
    if (names) return Object.fromEntries(names.map((name) => [name, `\${aws_iam_policy.${address}[${JSON.stringify(name)}].arn}`]));
    return Token.asAnyMap(`\${{ for name, policy in aws_iam_policy.${address} : name => policy.arn }}`) as Record<string, string>;
  }
}
