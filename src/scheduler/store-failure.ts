/** A store call failed: not the feed's fault and not a bug here, so counted apart from both. */
export class StoreFailure extends Error {}

export const fromStore = <T>(pending: Promise<T>): Promise<T> =>
  pending.catch((err: unknown) => {
    throw new StoreFailure('store call failed', { cause: err });
  });
