/** An import is open on the store, or has ended: the write must go through (or not after) it. */
export class StoreBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreBusyError';
  }
}
