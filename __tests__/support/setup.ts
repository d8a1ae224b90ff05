import "cdktf/lib/testing/adapters/jest";
import { setupJest } from "cdktf/lib/testing/adapters/jest";

setupJest();
