// The provider schema reader lives beside the module's renderer, which needs it; the tests and scripts read it here.
export * from "../../modules/tooling/terraform-module/provider-schema";
