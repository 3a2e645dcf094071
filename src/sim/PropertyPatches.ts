/**
 * Replaced properties of shared objects, each with its original own descriptor (or the fact that it
 * had none and was inherited), so that `restore` puts back exactly what was there.
 */
export class PropertyPatches {
  private readonly saved: Array<{ target: object; key: PropertyKey; descriptor: PropertyDescriptor | undefined }> = [];

  /** Replaces `target[key]` with `make(original)` as a writable, enumerable, configurable value. */
  replace<T extends object, K extends keyof T>(target: T, key: K, make: (original: T[K]) => T[K]): void {
    this.saved.push({ target, key, descriptor: Object.getOwnPropertyDescriptor(target, key) });
    const replacement = make(target[key]);
    Object.defineProperty(target, key, { value: replacement, writable: true, enumerable: true, configurable: true });
  }

  /** Puts every replaced property back, last replaced first; a second call does nothing. */
  restore(): void {
    for (const { target, key, descriptor } of this.saved.splice(0).reverse()) {
      if (descriptor === undefined) delete (target as Record<PropertyKey, unknown>)[key];
      else Object.defineProperty(target, key, descriptor);
    }
  }
}
