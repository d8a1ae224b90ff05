import { sharedEmulator } from "./global-setup";

/** Stops the emulator global-setup.ts started for the run. */
export default async function globalTeardown(): Promise<void> {
  await sharedEmulator.current?.stop();
}
