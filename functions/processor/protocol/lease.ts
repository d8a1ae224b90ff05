import { randomUUID } from "node:crypto";
import { createJsonIfAbsent, type ObjectStore, readJson, replaceJsonIfMatch } from "./store";

/** How long a lease lasts without a heartbeat: a crashed holder blocks the next attempt this long. */
export const DEFAULT_LEASE_TTL_MS = 20_000;
const FIRST_POLL_MS = 200;
const LONGEST_POLL_MS = 2_000;

/** What a leased object holds: who holds it until when, beside whatever state the key keeps. */
export type LeaseBody<S extends object = object> = S & {
  readonly holder: string;
  /** Epoch ms; 0 once released. */
  readonly expiresAt: number;
  /**
   * Which taking of the lease wrote this version (one id per acquisition, even by the same
   * holder): a writer whose answer was lost finds its own write by it. Absent before 0.3.
   */
  readonly attempt?: string;
};

/** Where leases are kept, and the clock their expiry is read by. */
export interface LeaseContext {
  readonly store: ObjectStore;
  readonly now: () => number;
  /** @default DEFAULT_LEASE_TTL_MS */
  readonly leaseTtlMs?: number;
}

export interface LeaseOptions<S extends object> {
  /** The state a new object starts with. */
  readonly initial: () => S;
  /** How long the lease lasts. @default the store's leaseTtlMs, else DEFAULT_LEASE_TTL_MS */
  readonly ttlMs?: number;
  /** Renew every quarter of the TTL while held. @default true */
  readonly heartbeat?: boolean;
  /**
   * Whether the object found may not be taken even though its lease is free (its state says
   * there is nothing left to hold it for). The caller then reads `state` without a lease.
   */
  readonly refuse?: (current: LeaseBody<S>) => boolean | Promise<boolean>;
  /** The state to keep when taking an existing object over. @default its state as it is */
  readonly takeOver?: (current: LeaseBody<S>) => S;
}

export type Acquired<S extends object> =
  | { readonly kind: "held"; readonly lease: Lease<S>; readonly state: LeaseBody<S>; readonly created: boolean }
  /** Another holder's lease is live: the state as found. */
  | { readonly kind: "busy"; readonly state: LeaseBody<S> }
  /** `refuse` said the object is past needing a lease: the state as found. */
  | { readonly kind: "refused"; readonly state: LeaseBody<S> };

/** A run's lease (`runs/.../lease.json`): it keeps no state beside who holds it. */
export const RUN_LEASE: LeaseOptions<object> = { initial: () => ({}) };

/** Another attempt holds the lease and did not let go in the time this attempt had to wait. */
export class LeaseBusyError extends Error {
  override readonly name = "LeaseBusyError";
  constructor(readonly key: string) {
    super(`another attempt is running this (lease ${key} is held); retry later`);
  }
}

/**
 * A lease on one key of the store, taken and kept with conditional writes only: the key is created with
 * If-None-Match; a released or expired lease (or one this holder already had) is taken over
 * with If-Match on the version read; the holder renews it, and changes the state the key
 * keeps, with If-Match on the version it last wrote. Two holders can never both hold it; one
 * that crashes frees it within its TTL. Runs (`runs/.../lease.json`, held by an attempt) and
 * source claims (`claims/<id>.json`, held by a run) are both such keys.
 *
 * A conditional write can succeed while its answer is lost: the SDK then sends it again, and
 * S3 answers 412, the version having moved on. So a refused write reads the key back: a
 * version carrying this acquisition's `attempt` is this holder's own, and the write is then
 * done (or made again on that version); only another acquisition's version means the lease is
 * lost.
 */
export class Lease<S extends object = object> {
  private timer?: NodeJS.Timeout;
  private renewing?: Promise<void>;
  private lostIt = false;
  private ended = false;

  private constructor(
    private readonly context: LeaseContext,
    readonly key: string,
    readonly holder: string,
    private readonly attempt: string,
    private readonly ttlMs: number,
    private body: LeaseBody<S>,
    private etag: string,
    heartbeat: boolean,
  ) {
    if (!heartbeat) return;
    this.timer = setInterval(() => {
      this.renewing ??= this.renew().finally(() => (this.renewing = undefined));
    }, ttlMs / 4);
    this.timer.unref();
  }

  /** Takes the lease if it is free now (or already this holder's). */
  static async tryAcquire<S extends object>(
    context: LeaseContext,
    key: string,
    holder: string,
    options: LeaseOptions<S>,
  ): Promise<Acquired<S>> {
    const ttlMs = options.ttlMs ?? context.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
    const heartbeat = options.heartbeat ?? true;
    const attempt = randomUUID();
    const held = (body: LeaseBody<S>, etag: string, created: boolean): Acquired<S> => ({
      kind: "held",
      lease: new Lease(context, key, holder, attempt, ttlMs, body, etag, heartbeat),
      state: body,
      created,
    });
    // Once a take-over was sent, a version of this acquisition found later is that take-over.
    let tookOver = false;
    for (let tries = 0; tries < 3; tries++) {
      const fresh: LeaseBody<S> = { ...options.initial(), holder, expiresAt: context.now() + ttlMs, attempt };
      const createdTag = await createJsonIfAbsent(context.store, key, fresh);
      if (createdTag !== undefined) return held(fresh, createdTag, true);
      const current = await readJson<LeaseBody<S>>(context.store, key, false);
      if (!current) continue; // removed in between: try to create it again
      const found = current.value;
      // This acquisition's own write, whose answer was lost (created, or taken over just before).
      if (found.attempt === attempt) return held(found, current.etag, !tookOver);
      if (await options.refuse?.(found)) return { kind: "refused", state: found };
      if (found.expiresAt > context.now() && found.holder !== holder) return { kind: "busy", state: found };
      const taken: LeaseBody<S> = {
        ...(options.takeOver ? options.takeOver(found) : found),
        holder,
        expiresAt: context.now() + ttlMs,
        attempt,
      };
      tookOver = true;
      const takenTag = await replaceJsonIfMatch(context.store, key, taken, current.etag);
      if (takenTag !== undefined) return held(taken, takenTag, false);
    }
    const latest = await readJson<LeaseBody<S>>(context.store, key, false);
    return { kind: "busy", state: latest?.value ?? ({ holder: "unknown", expiresAt: Number.POSITIVE_INFINITY } as LeaseBody<S>) };
  }

  /** Waits for the lease while `mayWait()` holds, polling with a growing interval. */
  static async acquire<S extends object>(
    context: LeaseContext,
    key: string,
    holder: string,
    options: LeaseOptions<S>,
    mayWait: () => boolean,
  ): Promise<Lease<S>> {
    let pause = FIRST_POLL_MS;
    for (;;) {
      const taken = await Lease.tryAcquire(context, key, holder, options);
      if (taken.kind === "held") return taken.lease;
      if (taken.kind === "refused" || !mayWait()) throw new LeaseBusyError(key);
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(LONGEST_POLL_MS, pause * 2);
    }
  }

  /** True once a renewal or a write found the key taken by another holder: stop and publish nothing. */
  get lost(): boolean {
    return this.lostIt;
  }

  /** The state as this holder last wrote it. */
  get state(): LeaseBody<S> {
    return this.body;
  }

  /**
   * Renews the lease now, with a write conditional on the version this holder last wrote, and
   * says whether it is still this holder's: the check before a step that cannot be taken back
   * (an announcement). A heartbeat's failures are only retried at the next beat, so `lost` alone
   * can miss a lease that ran out while S3 refused the renewals and another attempt took over.
   * Throws when S3 refuses the write itself: nothing irrevocable may follow then either.
   */
  async confirm(): Promise<boolean> {
    await this.renewing;
    if (this.lostIt || this.ended) return false;
    return this.write({ ...this.body, expiresAt: this.context.now() + this.ttlMs });
  }

  /** Changes the state the key keeps, still held. False when the lease was lost. */
  async update(change: (state: S) => S): Promise<boolean> {
    await this.renewing;
    return this.write({ ...change(this.body), holder: this.holder, expiresAt: this.context.now() + this.ttlMs });
  }

  /**
   * Lets go: the next holder may take it at once. `change` sets the state to leave behind
   * (written in the same request). False when the lease was lost first; nothing is written then.
   */
  async release(change?: (state: S) => S): Promise<boolean> {
    if (this.ended) return !this.lostIt;
    this.ended = true;
    clearInterval(this.timer);
    await this.renewing;
    if (this.lostIt) return false;
    return this.write({ ...(change ? change(this.body) : this.body), holder: this.holder, expiresAt: 0 });
  }

  /** Lets go without writing, when the caller wrote the final state some other way. */
  abandon(): void {
    this.ended = true;
    clearInterval(this.timer);
  }

  private async renew(): Promise<void> {
    if (this.lostIt || this.ended) return;
    try {
      await this.write({ ...this.body, expiresAt: this.context.now() + this.ttlMs });
    } catch {
      // A failed renewal is tried again at the next beat; the lease lasts several beats.
    }
  }

  private async write(change: LeaseBody<S>): Promise<boolean> {
    const next: LeaseBody<S> = { ...change, attempt: this.attempt };
    for (let tries = 0; tries < 3; tries++) {
      const tag = await replaceJsonIfMatch(this.context.store, this.key, next, this.etag);
      if (tag !== undefined) {
        this.etag = tag;
        this.body = next;
        return true;
      }
      // Refused: another acquisition took the key, or this one's last write landed unanswered.
      const current = await readJson<LeaseBody<S>>(this.context.store, this.key, false);
      if (!current || current.value.attempt !== this.attempt) break;
      this.etag = current.etag;
      if (JSON.stringify(current.value) === JSON.stringify(next)) {
        this.body = next;
        return true;
      }
    }
    this.lostIt = true;
    return false;
  }
}
