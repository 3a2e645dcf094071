import type { NodeContext } from 'jest-environment-multinode';

/** The `MySystem` the NodeFactory examples start: a node that knows its role and the roles. */
export class MySystem {
  private running = true;

  private constructor(
    readonly role: string,
    private readonly roles: readonly string[],
  ) {}

  static async start(ctx: NodeContext): Promise<MySystem> {
    ctx.log('info', `MySystem ${ctx.role} started`);
    return new MySystem(ctx.role, ctx.roles);
  }

  async shutdown(): Promise<void> {
    this.running = false;
  }

  abort(): void {
    this.running = false;
  }

  upCount(): number {
    return this.running ? this.roles.length : 0;
  }
}
