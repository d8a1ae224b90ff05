import type { LoggedRequest } from "../s3-proxy";

/** One authorization AWS makes: this role, this action, on this resource, with this request context. */
export interface IamCall {
  /** The role's Terraform address (aws_iam_role.<role>). */
  readonly role: string;
  readonly action: string;
  readonly resource: string;
  readonly context: Readonly<Record<string, string>>;
  /** Where it was seen: the scenario that made it, or the AWS service that makes it for the function. */
  readonly scenario: string;
  /**
   * A resource outside the stack (a schedule's external target, its key): its own policy is its
   * owner's to write (docs/extending.md says what it must admit), so the audit holds only the
   * role's side to account, taking the owner's policy to admit the role.
   */
  readonly outsideTheStack?: true;
}

export interface Placement {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
}

/** A request the audit cannot translate into IAM's terms: it must learn it, never skip it. */
export class UnknownCallError extends Error {
  constructor(request: LoggedRequest) {
    super(`the IAM audit does not know what ${request.service} ${request.action} is authorized as; add it to iam-calls.ts`);
    this.name = "UnknownCallError";
  }
}

const S3_ACTIONS: Record<string, (versioned: boolean) => string> = {
  GetObject: (v) => (v ? "s3:GetObjectVersion" : "s3:GetObject"),
  HeadObject: (v) => (v ? "s3:GetObjectVersion" : "s3:GetObject"),
  PutObject: () => "s3:PutObject",
  CreateMultipartUpload: () => "s3:PutObject",
  UploadPart: () => "s3:PutObject",
  CompleteMultipartUpload: () => "s3:PutObject",
  AbortMultipartUpload: () => "s3:AbortMultipartUpload",
  DeleteObject: (v) => (v ? "s3:DeleteObjectVersion" : "s3:DeleteObject"),
};

const QUEUE_ACTIONS: Record<string, string> = {
  SendMessage: "sqs:SendMessage",
  SendMessageBatch: "sqs:SendMessage",
  ReceiveMessage: "sqs:ReceiveMessage",
  DeleteMessage: "sqs:DeleteMessage",
  DeleteMessageBatch: "sqs:DeleteMessage",
  ChangeMessageVisibility: "sqs:ChangeMessageVisibility",
  ChangeMessageVisibilityBatch: "sqs:ChangeMessageVisibility",
  GetQueueAttributes: "sqs:GetQueueAttributes",
};

/**
 * The IAM authorizations one recorded request needs, as the Service Authorization Reference
 * states them (a multipart upload is s3:PutObject, a copy reads its source, a listing is
 * s3:ListBucket with s3:prefix, CreateSchedule passes its role). Resources are placed in the
 * audited stack's account and region: the emulator's own are stand-ins for them.
 */
export function iamCallsOf(request: LoggedRequest, role: string, scenario: string, where: Placement): IamCall[] {
  const base = { role, scenario, context: { "aws:SecureTransport": "true" } };
  const regional = (service: string, rest: string) => `arn:${where.partition}:${service}:${where.region}:${where.account}:${rest}`;
  const lastSegment = (value: string) => value.split(/[/:]/).at(-1)!;
  if (request.service === "s3") {
    const bucketArn = `arn:${where.partition}:s3:::${request.bucket}`;
    if (request.action === "ListObjectsV2" || request.action === "ListObjectVersions") {
      const action = request.action === "ListObjectsV2" ? "s3:ListBucket" : "s3:ListBucketVersions";
      return [{ ...base, action, resource: bucketArn, context: { ...base.context, "s3:prefix": request.prefix ?? "" } }];
    }
    if (request.action === "CopyObject") {
      const source = request.copySource ?? "";
      const [path, query] = decodeURIComponent(source).replace(/^\//, "").split("?");
      const versioned = new URLSearchParams(query ?? "").has("versionId");
      return [
        { ...base, action: "s3:PutObject", resource: `${bucketArn}/${request.key}` },
        { ...base, action: versioned ? "s3:GetObjectVersion" : "s3:GetObject", resource: `arn:${where.partition}:s3:::${path}` },
      ];
    }
    const action = S3_ACTIONS[request.action];
    if (!action || !request.key) throw new UnknownCallError(request);
    return [{ ...base, action: action(request.versionId !== undefined), resource: `${bucketArn}/${request.key}` }];
  }
  if (request.service === "sqs") {
    const action = QUEUE_ACTIONS[request.action];
    if (!action || !request.target) throw new UnknownCallError(request);
    return [{ ...base, action, resource: regional("sqs", lastSegment(request.target)) }];
  }
  if (request.service === "sns") {
    if (!["Publish", "PublishBatch"].includes(request.action) || !request.target) throw new UnknownCallError(request);
    return [{ ...base, action: "sns:Publish", resource: regional("sns", lastSegment(request.target)) }];
  }
  if (request.service === "scheduler") return schedulerCalls(request, base, regional);
  if (request.service === "lambda") {
    // Invoke: POST /2015-03-31/functions/<name or ARN>/invocations
    const invoked = /^POST \/2015-03-31\/functions\/([^/]+)\/invocations/.exec(request.action);
    if (!invoked) throw new UnknownCallError(request);
    return [
      { ...base, action: "lambda:InvokeFunction", resource: regional("lambda", `function:${lastSegment(decodeURIComponent(invoked[1]))}`) },
    ];
  }
  throw new UnknownCallError(request);
}

/** EventBridge Scheduler's REST API: /schedules/<name> and /schedules, the group in the body or the query. */
function schedulerCalls(
  request: LoggedRequest,
  base: Omit<IamCall, "action" | "resource">,
  regional: (service: string, rest: string) => string,
): IamCall[] {
  const [method, target] = request.action.split(" ");
  const url = new URL(target, "http://scheduler");
  const name = url.pathname.startsWith("/schedules/") ? decodeURIComponent(url.pathname.slice("/schedules/".length)) : undefined;
  const body = request.body && request.body.length > 0 ? JSON.parse(request.body.toString("utf8")) : {};
  const group = body.GroupName ?? url.searchParams.get("groupName") ?? url.searchParams.get("ScheduleGroup") ?? "default";
  const schedule = regional("scheduler", `schedule/${group}/${name}`);
  if (!name && method === "GET") return [{ ...base, action: "scheduler:ListSchedules", resource: "*" }];
  if (name && method === "GET") return [{ ...base, action: "scheduler:GetSchedule", resource: schedule }];
  if (name && method === "DELETE") return [{ ...base, action: "scheduler:DeleteSchedule", resource: schedule }];
  if (name && method === "POST")
    return [
      { ...base, action: "scheduler:CreateSchedule", resource: schedule },
      // Scheduler checks that the caller may hand the target's role to it.
      {
        ...base,
        action: "iam:PassRole",
        resource: String(body.Target?.RoleArn),
        context: { ...base.context, "iam:PassedToService": "scheduler.amazonaws.com" },
      },
    ];
  throw new UnknownCallError(request);
}
