import { GetBucketPolicyCommand, PutBucketPolicyCommand } from "@aws-sdk/client-s3";
import { ListSubscriptionsByTopicCommand, UnsubscribeCommand } from "@aws-sdk/client-sns";
import type { EmulatorClients } from "./emulator-aws";

/**
 * The two places where moto (5.2.1) behaves unlike AWS in a way that would stop the deployed
 * processor from running at all, and what the rehearsal does about each, for the firing phase
 * only. Nothing else of what was deployed is touched.
 */

interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Condition?: Record<string, unknown>;
}

/**
 * moto evaluates a bucket policy on every object request without the request's context:
 * s3/models.py FakeBucket.get_permission calls IAMPolicy.is_action_permitted with no condition
 * values, iam/access_control.py IAMPolicyStatement._check_conditions then has nothing to
 * compare, and iam/policy_conditions.py ignores every operator but StringEquals. So a Deny
 * with a condition denies unconditionally: `DenyInsecureTransport` (Bool aws:SecureTransport
 * false) answers 403 to every object request, TLS or not, and a producer's RequireBucketKey
 * (StringNotEquals) every upload to its prefix. While the schedules fire, the bucket holds its
 * policy without the conditional Deny statements; `restore` puts back the very text that was
 * deployed, before anything is compared or destroyed.
 */
export async function liftConditionalDenies(
  clients: EmulatorClients,
  bucket: string,
): Promise<{ lifted: string[]; restore: () => Promise<void> }> {
  const original = (await clients.s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy;
  if (!original) return { lifted: [], restore: async () => undefined };
  const document = JSON.parse(original) as { Statement: PolicyStatement[] };
  const conditionalDeny = (s: PolicyStatement) => s.Effect === "Deny" && s.Condition !== undefined;
  const lifted = document.Statement.filter(conditionalDeny).map((s, i) => s.Sid ?? `statement ${i}`);
  const kept = document.Statement.filter((s) => !conditionalDeny(s));
  if (lifted.length === 0) return { lifted, restore: async () => undefined };
  // S3 refuses a policy without statements; a statement that grants nothing keeps the document valid.
  const statements =
    kept.length > 0 ? kept : [{ Sid: "RehearsalPlaceholder", Effect: "Deny", Principal: "*", NotAction: "s3:*", Resource: "*" }];
  await clients.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify({ ...document, Statement: statements }) }));
  return { lifted, restore: () => clients.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: original })).then(() => undefined) };
}

/**
 * moto delivers to an http(s) subscriber inside Publish itself (sns/models.py
 * Subscription.publish calls requests.post synchronously), and a subscriber it cannot reach
 * (no network here; example.com hooks) fails the Publish with a 500, so every notice would
 * fail. AWS posts asynchronously and retries on its own. The rehearsal removes the topic's
 * http(s) subscriptions before firing and reads the notices through a queue it subscribes.
 * Destroy then finds them gone (the provider drops a subscription the API no longer knows).
 */
export async function removeHttpSubscriptions(clients: EmulatorClients, topicArn: string): Promise<string[]> {
  const removed: string[] = [];
  let token: string | undefined;
  do {
    const page = await clients.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: token }));
    for (const subscription of page.Subscriptions ?? []) {
      if (subscription.Protocol !== "http" && subscription.Protocol !== "https") continue;
      await clients.sns.send(new UnsubscribeCommand({ SubscriptionArn: subscription.SubscriptionArn }));
      removed.push(subscription.Endpoint ?? "");
    }
    token = page.NextToken;
  } while (token);
  return removed;
}
