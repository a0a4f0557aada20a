/**
 * A module loaded the first time it is needed, so code most agents never run (WebSocket,
 * streaming, rare fallbacks) costs nothing at startup. Every caller shares the one load.
 */
export function onDemand<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => (loading ??= load());
}
