/**
 * A map for names a client chooses: no prototype, so `constructor`, `toString` or `__proto__`
 * are names like any other, neither inherited nor a setter. (JSON.stringify writes such an
 * object as usual, so the event keeps every one.)
 */
export function nameMap(): Record<string, string> {
  return Object.create(null) as Record<string, string>;
}
