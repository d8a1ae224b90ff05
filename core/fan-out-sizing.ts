/**
 * What one invocation is assumed to manage, for the fan-out defaults: a small source costs about
 * 6 requests of ~50 ms on S3 (300 ms), handled `concurrency` at a time; data moves at about
 * 10 MB/s for a full vCPU (1769 MB of memory), measured by `npm run bench` with room to spare.
 * Half the time after the reserve is planned for, so a slow day still finishes. The stacks
 * compute it here; the module renders the same numbers into HCL (module-spec.ts).
 */
export const FAN_OUT_SIZING = {
  secondsPerSmallSource: 0.3,
  bytesPerSecondPerVcpu: 10 * 1024 * 1024,
  vcpuMemoryMb: 1769,
  /** Seconds held back at the end of an invocation, at most half of it. */
  reserveSeconds: 30,
  sources: { min: 100, max: 10_000 },
  minBytes: 16 * 1024 * 1024,
} as const;

/** Per-invocation limits derived from the processor's memory, timeout and concurrency. */
export function fanOutDefaults(processor: { memoryMb: number; timeoutSeconds: number; concurrency: number }) {
  const s = FAN_OUT_SIZING;
  const working = Math.max(1, (processor.timeoutSeconds - Math.min(s.reserveSeconds, processor.timeoutSeconds / 2)) / 2);
  const sources = Math.floor((working * processor.concurrency) / s.secondsPerSmallSource);
  const bytes = Math.floor(working * s.bytesPerSecondPerVcpu * Math.min(1, processor.memoryMb / s.vcpuMemoryMb));
  return {
    sourcesPerInvocation: Math.min(s.sources.max, Math.max(s.sources.min, sources)),
    bytesPerInvocation: Math.max(s.minBytes, bytes),
  };
}
