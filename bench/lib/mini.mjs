// The reference baseline: the smallest actor that is still an actor. An array mailbox,
// drained in one microtask turn, one async handler per message. No timeouts, no
// supervision tree, no scopes: the floor that a runtime is measured against.

export class MiniActor {
  /**
   * @param {(message: unknown, state: any, self: MiniActor) => Promise<any>} handler async, returns the next state
   * @param {any} state
   */
  constructor(handler, state) {
    this.handler = handler;
    this.state = state;
    this.box = [];
    this.scheduled = false;
    this.stopped = false;
    /** @type {((actor: MiniActor, error: unknown) => void) | undefined} */
    this.onCrash = undefined;
    this.drain = this.drain.bind(this);
  }

  send(message) {
    if (this.stopped) return;
    this.box.push(message);
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(this.drain);
    }
  }

  async drain() {
    while (this.box.length > 0) {
      // Swap the array rather than shift(): shift degrades on deep queues.
      const box = this.box;
      this.box = [];
      for (let i = 0; i < box.length; i++) {
        if (this.stopped) return;
        try {
          this.state = await this.handler(box[i], this.state, this);
        } catch (error) {
          this.stopped = true;
          this.box = [];
          if (this.onCrash !== undefined) this.onCrash(this, error);
          return;
        }
      }
    }
    this.scheduled = false;
  }

  stop() {
    this.stopped = true;
    this.box = [];
  }
}

/** A request with a reply callback; resolves with the handler's reply. */
export class MiniCall {
  constructor(request, reply) {
    this.request = request;
    this.reply = reply;
  }
}

export function miniCall(actor, request) {
  return new Promise((resolve) => actor.send(new MiniCall(request, resolve)));
}

/** A mailbox with selective receive by linear scan, for the selective-receive workload. */
export class MiniReceiver {
  constructor() {
    this.box = [];
    this.waiter = null;
  }

  send(message) {
    const w = this.waiter;
    if (w !== null && w.predicate(message)) {
      this.waiter = null;
      queueMicrotask(() => w.resolve(message));
      return;
    }
    this.box.push(message);
  }

  /** The oldest message that satisfies `predicate`; the others stay in order. */
  receive(predicate) {
    const box = this.box;
    for (let i = 0; i < box.length; i++) {
      if (predicate(box[i])) return Promise.resolve(box.splice(i, 1)[0]);
    }
    return new Promise((resolve) => {
      this.waiter = { predicate, resolve };
    });
  }
}
