/** The last `capacity` ids seen, oldest forgotten first: cheap "emitted already?" for one creator's chat. */
export class RecentIds {
  readonly #ids = new Set<string>();
  constructor(private readonly capacity: number) {}

  /** True when `id` is new (and remembers it). */
  add(id: string): boolean {
    if (this.#ids.has(id)) return false;
    this.#ids.add(id);
    if (this.#ids.size > this.capacity) this.#ids.delete(this.#ids.values().next().value as string);
    return true;
  }
}
