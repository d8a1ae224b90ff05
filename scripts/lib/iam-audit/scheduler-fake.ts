import type { LocalAnswer, ProxiedRequest } from "../s3-proxy";

/**
 * Just enough of EventBridge Scheduler's REST API for the scheduling API to run against
 * (the emulator has no Scheduler): create, get, list and delete schedules, kept in memory,
 * starting with `existing` (the schedules Terraform would have made). And Lambda's
 * asynchronous Invoke, which the emulator lacks too: accepted (202) and not run.
 */
export function schedulerFake(
  account: string,
  region: string,
  existing: ReadonlyArray<{ readonly Name: string; readonly GroupName: string } & Record<string, unknown>> = [],
): (request: ProxiedRequest) => LocalAnswer | undefined {
  const schedules = new Map<string, Record<string, unknown>>(
    existing.map((s) => [
      `${s.GroupName}/${s.Name}`,
      { State: "ENABLED", Arn: `arn:aws:scheduler:${region}:${account}:schedule/${s.GroupName}/${s.Name}`, ...s },
    ]),
  );
  return (request) => {
    if (request.service === "lambda" && /^POST \/2015-03-31\/functions\/[^/]+\/invocations/.test(request.action))
      return { status: 202, body: {} };
    if (request.service !== "scheduler") return undefined;
    const [method, target] = request.action.split(" ");
    const url = new URL(target, "http://scheduler");
    const name = url.pathname.startsWith("/schedules/") ? decodeURIComponent(url.pathname.slice("/schedules/".length)) : undefined;
    const body = request.body && request.body.length > 0 ? JSON.parse(request.body.toString("utf8")) : {};
    const group = body.GroupName ?? url.searchParams.get("groupName") ?? url.searchParams.get("ScheduleGroup") ?? "default";
    const key = `${group}/${name}`;
    const arn = `arn:aws:scheduler:${region}:${account}:schedule/${key}`;
    if (method === "POST" && name) {
      if (schedules.has(key)) return { status: 409, body: { Message: `schedule ${name} already exists` } };
      schedules.set(key, {
        ...body,
        Name: name,
        GroupName: group,
        Arn: arn,
        State: body.State ?? "ENABLED",
        CreationDate: Date.now() / 1000,
      });
      return { status: 200, body: { ScheduleArn: arn } };
    }
    if (method === "GET" && name) {
      const found = schedules.get(key);
      return found ? { status: 200, body: found } : { status: 404, body: { Message: "not found" } };
    }
    if (method === "DELETE" && name) {
      schedules.delete(key);
      return { status: 200, body: {} };
    }
    if (method === "GET") {
      const prefix = url.searchParams.get("NamePrefix") ?? "";
      const listed = [...schedules.values()].filter((s) => s.GroupName === group && String(s.Name).startsWith(prefix));
      return { status: 200, body: { Schedules: listed.map(({ Name, Arn, State, CreationDate }) => ({ Name, Arn, State, CreationDate })) } };
    }
    return { status: 400, body: { Message: `the Scheduler fake does not answer ${request.action}` } };
  };
}
