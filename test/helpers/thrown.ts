/** What a call under test throws, for tests that check the message and field of a bad-input error. */
import { UserError } from '../../src/core/errors.js';

/** The `UserError` that `fn` throws; any other error is rethrown, and returning fails the test. */
export function userErrorOf(fn: () => unknown): UserError {
  try {
    fn();
  } catch (err: unknown) {
    if (err instanceof UserError) return err;
    throw err;
  }
  throw new Error('expected a UserError');
}

/** The `UserError` that `p` rejects with; any other error is rethrown, and resolving fails the test. */
export async function rejectionOf(p: Promise<unknown>): Promise<UserError> {
  try {
    await p;
  } catch (err: unknown) {
    if (err instanceof UserError) return err;
    throw err;
  }
  throw new Error('expected a UserError');
}
