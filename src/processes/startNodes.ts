import type { NodeProcess } from './NodeProcess';
import type { StartOrder } from './ProcessSpec';

/**
 * Starts the first incarnation of every node: all at once (`'parallel'`) or each one ready before
 * the next starts, in the given order (`'sequential'`). Parallel starts wait for every node to
 * settle, then reject with the first failure in role order, so no start is left running unobserved.
 */
export async function startNodes(nodes: readonly NodeProcess[], order: StartOrder, timeoutMs: number): Promise<void> {
  if (order === 'sequential') {
    for (const node of nodes) await node.start(0, timeoutMs);
    return;
  }
  const results = await Promise.allSettled(nodes.map((node) => node.start(0, timeoutMs)));
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}
