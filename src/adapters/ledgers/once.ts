/** A read kept for the adapter instance (one posting batch); a failed read is tried again on the next call. */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let kept: Promise<T> | undefined;
  return () =>
    (kept ??= load().catch((e: unknown) => {
      kept = undefined;
      throw e;
    }));
}
