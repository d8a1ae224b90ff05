import { BUCKET_LAYOUT } from "../../../core/bucket-layout";
import { listObjects } from "../../commons/s3-objects";
import type { SourceContext } from "./handle-source";
import type { SourceRef } from "./source-identity";

/** The sources waiting under incoming/<prefix>, in key order; folder placeholders are not data. */
export async function listSources(context: SourceContext, prefix = ""): Promise<SourceRef[]> {
  const sources: SourceRef[] = [];
  for await (const object of listObjects(context.s3, context.bucket, BUCKET_LAYOUT.incoming.prefix + prefix)) {
    if (!object.key.endsWith("/")) sources.push(object);
  }
  return sources;
}
