import type { StartOrder } from './ProcessSpec';

/**
 * Starts the first incarnation of every node with `start`: all at once (`'parallel'`) or each one
 * ready before the next starts, in the given order (`'sequential'`, which stops at the first
 * failure). Parallel starts wait for every node to settle, then reject with the first failure in
 * role order, so no start is left running unobserved.
 */
export async function startNodes<T>(nodes: readonly T[], order: StartOrder, start: (node: T) => Promise<void>): Promise<void> {
  if (order === 'sequential') {
    for (const node of nodes) await start(node);
    return;
  }
  const results = await Promise.allSettled(nodes.map(start));
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}
