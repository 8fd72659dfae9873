// Deterministic randomness. Nothing in the generator may use Math.random or the clock: every value derives from the
// seed and a stable key, so the same options always give byte-identical files, and a customer's attributes depend on
// its own key rather than on how many customers were asked for.
import {createHash} from "node:crypto";

type Key = string | number;

function digest(parts: readonly Key[]): Buffer {
  return createHash("sha256").update(parts.map(String).join("\u001f")).digest();
}

/** A 32-bit seed for mulberry32 from any key. */
export function hashSeed(...parts: Key[]): number {
  return digest(parts).readUInt32BE(0);
}

/** A UUID (version-4 layout) that is a pure function of the key: stable ids without a registry of issued ids. */
export function uuidFor(...parts: Key[]): string {
  const bytes = digest(parts).subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Lower-case alphanumerics from a key (provider ids such as Stripe's cus_…). */
export function tokenFor(length: number, ...parts: Key[]): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  const bytes = digest(parts);
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[bytes[i % bytes.length]! % alphabet.length];
  return out;
}

/** mulberry32: small, fast and good enough for picking sample attributes. */
export class Rng {
  private state: number;
  constructor(...key: Key[]) {
    this.state = hashSeed(...key);
  }
  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
  /** Integer in [lo, hi] inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from an empty list");
    return items[Math.floor(this.next() * items.length)]!;
  }
  /** Pick by weight: [[value, weight], …]. */
  weighted<T>(options: ReadonlyArray<readonly [T, number]>): T {
    const total = options.reduce((sum, [, w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [value, weight] of options) {
      if ((r -= weight) < 0) return value;
    }
    return options[options.length - 1]![0];
  }
  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = Math.max(this.next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
  /** Fisher–Yates shuffle of a copy. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}
