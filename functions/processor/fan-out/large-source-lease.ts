import type { ClaimLeaseOptions } from "../sources/source-claim";

/**
 * A large source is claimed for the whole fan-out, without a heartbeat (its ranges are worked
 * by many invocations); its lease outlasts any redelivery of its ranges (six hours, Lambda's
 * longest event age), after which another run may take it over.
 */
export const LARGE_SOURCE_LEASE: ClaimLeaseOptions = { ttlMs: 6 * 3_600_000, heartbeat: false };
