/** What the panels share: the stack as served now and the token in hand. */
import type { StackState } from "../consoleApi";

type Listener = () => void;

class PageState {
  stack: StackState | undefined;
  /** The token in the token box, trimmed; "" for none. */
  token = "";
  private readonly listeners = new Set<Listener>();

  onChange(listener: Listener): void {
    this.listeners.add(listener);
  }

  changed(): void {
    for (const listener of this.listeners) listener();
  }
}

export const page = new PageState();
