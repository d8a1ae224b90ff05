/** The key in incoming/ now holds another version than the one claimed. */
export class SourceChangedError extends Error {
  override readonly name = "SourceChangedError";
  constructor(readonly key: string) {
    super(`${key} changed in incoming/ before it could be read`);
  }
}
