import Module from "node:module";

/**
 * zod/mini requires every one of its locales when it loads (about 60 files, a tenth of a synth's
 * own start-up), though nothing here asks for one: the config's messages are the product's own
 * (core/zod-messages.ts). Registering an empty `locales` module first keeps them unread. For
 * processes that only synthesize (main.ts); call it before anything loads zod. A no-op when zod
 * is already loaded or is laid out differently.
 */
export function skipZodLocales(): void {
  let path: string;
  try {
    path = require.resolve("zod/v4/locales/index.cjs");
  } catch {
    return;
  }
  if (require.cache[path]) return;
  const empty = new Module(path);
  empty.filename = path;
  empty.loaded = true;
  require.cache[path] = empty;
}
