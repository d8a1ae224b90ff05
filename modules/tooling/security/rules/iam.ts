/** The security rules for IAM policies and roles. */
import { listOf, policiesOf, type Statement } from "../stack-document";
import { ACTIONS_WITHOUT_RESOURCE_TYPES, ADMIN_POLICIES, CONFUSED_DEPUTY_KEYS, identityStatements, type SecurityRule } from "./shared";

export const IAM_RULES: readonly SecurityRule[] = [
  {
    id: "IAM-01",
    reason: "IAM statements must not allow wildcard actions (* or service:*)",
    check: (stack) =>
      identityStatements(stack).flatMap(({ resource, statement }) =>
        statement.Effect !== "Allow"
          ? []
          : [
              ...listOf(statement.Action)
                .filter((a) => a === "*" || a.endsWith(":*"))
                .map((a) => ({ resource, detail: `statement ${statement.Sid ?? "(no Sid)"} allows ${a}` })),
              ...(statement.NotAction ? [{ resource, detail: `statement ${statement.Sid ?? "(no Sid)"} allows NotAction` }] : []),
            ],
      ),
  },
  {
    id: "IAM-02",
    reason: "IAM statements must name their resources: no Resource * (except for actions IAM gives no resource type) and no NotResource",
    check: (stack) =>
      identityStatements(stack).flatMap(({ resource, statement }) =>
        statement.Effect !== "Allow" ||
        (listOf(statement.Action).length > 0 && listOf(statement.Action).every((a) => ACTIONS_WITHOUT_RESOURCE_TYPES.includes(a)))
          ? []
          : listOf(statement.Resource).includes("*") || statement.NotResource || listOf(statement.Resource).length === 0
            ? [{ resource, detail: `statement ${statement.Sid ?? "(no Sid)"} does not name its resources` }]
            : [],
      ),
  },
  {
    id: "IAM-03",
    reason: "Roles must not have administrator, power-user or IAM-full-access policies",
    check: (stack) => [
      ...stack
        .ofType("aws_iam_role_policy_attachment")
        .filter(([, a]) => ADMIN_POLICIES.test(String(a.policy_arn)))
        .map(([resource, a]) => ({ resource, detail: `attaches ${a.policy_arn}` })),
      ...stack.ofType("aws_iam_role").flatMap(([resource, role]) =>
        listOf(role.managed_policy_arns as string[] | undefined)
          .filter((arn) => ADMIN_POLICIES.test(arn))
          .map((arn) => ({ resource, detail: `attaches ${arn}` })),
      ),
      ...identityStatements(stack)
        .filter(
          ({ statement }) =>
            statement.Effect === "Allow" && listOf(statement.Action).includes("*") && listOf(statement.Resource).includes("*"),
        )
        .map(({ resource, statement }) => ({ resource, detail: `statement ${statement.Sid ?? "(no Sid)"} allows * on *` })),
    ],
  },
  {
    id: "IAM-04",
    reason: "Trust policies for AWS services must carry confused-deputy conditions (aws:SourceAccount or aws:SourceArn)",
    check: (stack) =>
      policiesOf(stack)
        .filter((p) => p.kind === "trust")
        .flatMap((p) =>
          ((p.document?.Statement ?? []) as Statement[])
            .filter((s) => s.Effect === "Allow" && (s.Principal as { Service?: unknown } | undefined)?.Service !== undefined)
            .filter(
              (s) =>
                !Object.values(s.Condition ?? {}).some((block) => Object.keys(block).some((key) => CONFUSED_DEPUTY_KEYS.includes(key))),
            )
            .map((s) => ({
              resource: p.address,
              detail:
                `statement ${s.Sid ?? "(no Sid)"} trusts ${JSON.stringify((s.Principal as { Service: unknown }).Service)} without ` +
                `a source condition`,
            })),
        ),
  },
  {
    id: "IAM-05",
    reason: "iam:PassRole must name the roles and be limited with iam:PassedToService",
    check: (stack) =>
      identityStatements(stack)
        .filter(
          ({ statement }) =>
            statement.Effect === "Allow" &&
            listOf(statement.Action).some((a) => a.toLowerCase() === "iam:passrole" || a === "iam:*" || a === "*"),
        )
        .filter(
          ({ statement }) =>
            listOf(statement.Resource).includes("*") ||
            !Object.values(statement.Condition ?? {}).some((block) => "iam:PassedToService" in block),
        )
        .map(({ resource, statement }) => ({
          resource,
          detail: `statement ${statement.Sid ?? "(no Sid)"} passes roles without naming them and iam:PassedToService`,
        })),
  },
  {
    id: "IAM-06",
    reason: "Every policy must be literal JSON with statements, so it can be reviewed before apply",
    check: (stack) =>
      policiesOf(stack)
        .filter((p) => p.document === undefined)
        .map((p) => ({ resource: p.address, detail: "policy is not a literal JSON policy document" })),
  },
];
