import type { S3Client } from "@aws-sdk/client-s3";
import { createJsonIfAbsent, readJson, replaceJsonIfMatch } from "../../commons/s3-objects";

/** How long a lease lasts without a heartbeat: a crashed holder blocks the next attempt this long. */
export const DEFAULT_LEASE_TTL_MS = 20_000;
const FIRST_POLL_MS = 200;
const LONGEST_POLL_MS = 2_000;

interface LeaseBody {
  readonly holder: string;
  readonly expiresAt: number;
}

export interface LeaseStore {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly now: () => number;
  /** @default DEFAULT_LEASE_TTL_MS */
  readonly leaseTtlMs?: number;
}

function ttlOf(store: LeaseStore): number {
  return store.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
}

/** Another attempt holds the lease and did not let go in the time this attempt had to wait. */
export class LeaseBusyError extends Error {
  override readonly name = "LeaseBusyError";
  constructor(readonly key: string) {
    super(`another attempt is running this (lease ${key} is held); retry later`);
  }
}

/**
 * A lease on one S3 key, taken and kept with conditional writes only: creating the key with
 * If-None-Match, taking over an expired or released lease with If-Match on the version read,
 * and renewing it with If-Match every few seconds. Two attempts can never both hold it; a
 * holder that crashes frees it within LEASE_TTL_MS.
 */
export class Lease {
  private timer?: NodeJS.Timeout;
  private renewing?: Promise<void>;
  private lostIt = false;

  private constructor(
    private readonly store: LeaseStore,
    readonly key: string,
    private readonly holder: string,
    private etag: string,
  ) {
    this.timer = setInterval(() => {
      this.renewing ??= this.renew().finally(() => (this.renewing = undefined));
    }, ttlOf(store) / 4);
    this.timer.unref();
  }

  /** Takes the lease if it is free now. */
  static async tryAcquire(store: LeaseStore, key: string, holder: string): Promise<Lease | undefined> {
    const body = (): LeaseBody => ({ holder, expiresAt: store.now() + ttlOf(store) });
    const created = await createJsonIfAbsent(store.s3, store.bucket, key, body());
    if (created !== undefined) return new Lease(store, key, holder, created);
    const current = await readJson<LeaseBody>(store.s3, store.bucket, key, false);
    if (current && current.value.expiresAt > store.now() && current.value.holder !== holder) return undefined;
    const taken = current
      ? await replaceJsonIfMatch(store.s3, store.bucket, key, body(), current.etag)
      : await createJsonIfAbsent(store.s3, store.bucket, key, body());
    return taken === undefined ? undefined : new Lease(store, key, holder, taken);
  }

  /** Waits for the lease while `mayWait()` holds, polling with a growing interval. */
  static async acquire(store: LeaseStore, key: string, holder: string, mayWait: () => boolean): Promise<Lease> {
    let pause = FIRST_POLL_MS;
    for (;;) {
      const lease = await Lease.tryAcquire(store, key, holder);
      if (lease) return lease;
      if (!mayWait()) throw new LeaseBusyError(key);
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(LONGEST_POLL_MS, pause * 2);
    }
  }

  /** True once a renewal found the lease taken by another attempt: stop and publish nothing. */
  get lost(): boolean {
    return this.lostIt;
  }

  private async renew(): Promise<void> {
    if (this.lostIt) return;
    try {
      const next = await replaceJsonIfMatch(this.store.s3, this.store.bucket, this.key, { holder: this.holder, expiresAt: this.store.now() + ttlOf(this.store) }, this.etag);
      if (next === undefined) this.lostIt = true;
      else this.etag = next;
    } catch {
      // A failed renewal is tried again at the next beat; the lease lasts several beats.
    }
  }

  /** Lets the next attempt in at once. A lost lease is left to its new holder. */
  async release(): Promise<void> {
    clearInterval(this.timer);
    await this.renewing;
    if (this.lostIt) return;
    await replaceJsonIfMatch(this.store.s3, this.store.bucket, this.key, { holder: this.holder, expiresAt: 0 }, this.etag).catch(() => undefined);
  }
}
