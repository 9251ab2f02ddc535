/**
 * Serializes reloads: one runs at a time, and changes that arrive during one trigger exactly one
 * more, so the last change is always served.
 */
export function serialized(reload: () => Promise<unknown>): () => void {
  let running = false;
  let again = false;
  const run = () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    void reload().finally(() => {
      running = false;
      if (again) {
        again = false;
        run();
      }
    });
  };
  return run;
}
