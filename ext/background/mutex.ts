/**
 * Runs read-modify-write sections one at a time within this worker, so two messages (or two
 * instances finishing together) never write a stale copy over each other's change.
 */
export function createMutex(): <T>(section: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (section) => {
    const run = tail.then(section, section);
    tail = run.catch(() => undefined);
    return run;
  };
}
