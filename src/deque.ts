/**
 * A growable ring buffer: O(1) push, shift and indexed access, and removal at an
 * index that shifts the shorter side. Mailboxes and run queues use it because
 * `Array.prototype.shift` degrades badly past about 16,000 queued items.
 */
export class Deque<T> {
  private buf: (T | undefined)[];
  private head = 0;
  private mask: number;
  length = 0;

  constructor(capacity = 8) {
    let cap = 8;
    while (cap < capacity) cap <<= 1;
    this.buf = new Array<T | undefined>(cap);
    this.mask = cap - 1;
  }

  push(item: T): void {
    if (this.length > this.mask) this.grow();
    this.buf[(this.head + this.length) & this.mask] = item;
    this.length++;
  }

  shift(): T | undefined {
    if (this.length === 0) return undefined;
    const item = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.length--;
    return item;
  }

  peek(): T | undefined {
    return this.length === 0 ? undefined : this.buf[this.head];
  }

  at(index: number): T {
    return this.buf[(this.head + index) & this.mask] as T;
  }

  /** Remove and return the item at `index` (0 is the oldest), keeping the order of the rest. */
  removeAt(index: number): T {
    if (index === 0) return this.shift() as T;
    const { buf, mask } = this;
    const item = buf[(this.head + index) & mask] as T;
    if (index < this.length >> 1) {
      for (let i = index; i > 0; i--) buf[(this.head + i) & mask] = buf[(this.head + i - 1) & mask];
      buf[this.head] = undefined;
      this.head = (this.head + 1) & mask;
    } else {
      for (let i = index; i < this.length - 1; i++)
        buf[(this.head + i) & mask] = buf[(this.head + i + 1) & mask];
      buf[(this.head + this.length - 1) & mask] = undefined;
    }
    this.length--;
    return item;
  }

  clear(): void {
    this.buf = new Array<T | undefined>(8);
    this.mask = 7;
    this.head = 0;
    this.length = 0;
  }

  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.length; i++) out.push(this.at(i));
    return out;
  }

  private grow(): void {
    const old = this.buf;
    const cap = old.length << 1;
    const next = new Array<T | undefined>(cap);
    for (let i = 0; i < this.length; i++) next[i] = old[(this.head + i) & this.mask];
    this.buf = next;
    this.head = 0;
    this.mask = cap - 1;
  }
}
