/** Runs tasks with at most `size` in flight; results in task order. The first failure rejects. */
export async function pool<T>(tasks: Array<() => Promise<T>>, size: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, tasks.length) }, worker));
  return out;
}
