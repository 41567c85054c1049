import { call, cast, GenServer, withScope, type From } from "fauxtp";

// A stack: calls answer, casts change the state.
type Req = "pop" | "peek";
type Msg = ["push", number];

class Stack extends GenServer<number[], Req, Msg> {
  override init() {
    return [] as number[];
  }
  override handleCall(request: Req, _from: From, state: number[]) {
    switch (request) {
      case "pop":
        return state.length ? ([state[0], state.slice(1)] as const) : ([undefined, state] as const);
      case "peek":
        return [state[0], state] as const;
    }
  }
  override handleCast([, item]: Msg, state: number[]) {
    return [item, ...state];
  }
}

// A counter: ["add", n] adds and answers the new value, "get" answers it.
class Counter extends GenServer<number, "get" | ["add", number]> {
  override init() {
    return 0;
  }
  override handleCall(request: "get" | ["add", number], _from: From, count: number) {
    if (request === "get") return [count, count] as const;
    return [count + request[1], count + request[1]] as const;
  }
}

export async function quickstart(): Promise<{ popped: unknown; count: number }> {
  return withScope(async (scope) => {
    const stack = await Stack.start(scope);
    cast(stack, ["push", 1]);
    const popped = await call(stack, "pop"); // 1

    const counter = await Counter.start(scope);
    await Promise.all([call(counter, ["add", 1]), call(counter, ["add", 2])]);
    const count = await call<number>(counter, "get"); // 3
    return { popped, count };
  }); // every process started in the scope is stopped here
}

export { Counter, Stack };
