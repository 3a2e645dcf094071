import type { NodeFactory } from 'jest-environment-multinode';

export interface Kv {
  store: Map<string, number>;
  put(key: string, value: number): void;
}

const factory: NodeFactory<Kv> = async (ctx) => {
  const store = new Map<string, number>();
  const off = ctx.transport.onMessage((_from, message) => {
    const m = message as { key: string; value: number };
    store.set(m.key, m.value);
  });
  ctx.log('info', `kv ${ctx.role} up`, { incarnation: ctx.incarnation });
  return {
    system: {
      store,
      put(key, value) {
        store.set(key, value);
        for (const r of ctx.roles) if (r !== ctx.role) ctx.transport.send(r, { key, value });
      },
    },
    stop: () => off(),
  };
};
export default factory;
