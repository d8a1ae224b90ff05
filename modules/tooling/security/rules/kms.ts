/** The security rules for KMS keys. */
import type { SecurityRule } from "./shared";

export const KMS_RULES: readonly SecurityRule[] = [
  {
    id: "KMS-01",
    reason: "KMS keys must rotate their key material yearly",
    check: (stack) =>
      stack
        .ofType("aws_kms_key")
        .filter(([, k]) => k.enable_key_rotation !== true)
        .map(([resource]) => ({ resource, detail: "enable_key_rotation is not true" })),
  },
];
