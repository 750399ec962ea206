/**
 * An exact set of Salesforce record ids that costs about 26 bytes an id (18 bytes of key plus
 * its hash slot), where a JS Set of id strings costs 100+: undo keeps the ids an apply moved,
 * which for a large child object can be millions.
 */
import { to18 } from './ids.js';

const WIDTH = 18;

export class IdSet {
  private keys: Buffer;
  /** Open addressing with linear probing: 0 = empty, otherwise the key's index + 1. */
  private slots: Uint32Array;
  private count = 0;

  public constructor(expected = 1024) {
    const capacity = Math.max(16, 2 ** Math.ceil(Math.log2(expected * 2)));
    this.slots = new Uint32Array(capacity);
    this.keys = Buffer.alloc(Math.max(16, expected) * WIDTH);
  }

  public get size(): number {
    return this.count;
  }

  /** Adds a 15- or 18-character id (the same record either way). */
  public add(id: string): void {
    const key = full(id);
    const h = hash(key);
    if (this.find(key, h) >= 0) return;
    if ((this.count + 1) * 2 > this.slots.length) this.grow();
    if ((this.count + 1) * WIDTH > this.keys.length) {
      const keys = Buffer.alloc(this.keys.length * 2);
      this.keys.copy(keys);
      this.keys = keys;
    }
    const at = this.count * WIDTH;
    for (let i = 0; i < WIDTH; i++) this.keys[at + i] = key.charCodeAt(i);
    this.count++;
    this.place(this.count, h);
  }

  public has(id: string): boolean {
    const key = full(id);
    return this.find(key, hash(key)) >= 0;
  }

  /** The slot holding key, or -1. */
  private find(key: string, h: number): number {
    const mask = this.slots.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot];
      if (entry === 0) return -1;
      const at = (entry - 1) * WIDTH;
      let i = 0;
      while (i < WIDTH && this.keys[at + i] === key.charCodeAt(i)) i++;
      if (i === WIDTH) return slot;
    }
  }

  private place(entry: number, h: number): void {
    const mask = this.slots.length - 1;
    let slot = h & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = entry;
  }

  private grow(): void {
    this.slots = new Uint32Array(this.slots.length * 2);
    for (let i = 0; i < this.count; i++) this.place(i + 1, hashBytes(this.keys, i * WIDTH));
  }
}

function full(id: string): string {
  const key = id.length === WIDTH ? id : to18(id);
  for (let i = 0; i < WIDTH; i++) {
    const c = key.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122))) throw new Error(`Not a Salesforce id: ${id}`);
  }
  return key;
}

/** FNV-1a over the id's characters, finalised. */
function hash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < WIDTH; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return finish(h);
}

/** The same hash over a stored key's bytes. */
function hashBytes(keys: Buffer, at: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < WIDTH; i++) h = Math.imul(h ^ keys[at + i], 0x01000193);
  return finish(h);
}

/** murmur3's finaliser: ids that differ only in their last characters still spread over the slots. */
function finish(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
