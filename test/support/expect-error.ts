/** Awaits a promise that must fail with a BerthError of `code`; returns it for more checks. */
import { expect } from 'vitest';
import { BerthError, type ErrorCode } from '../../main/contract/errors';

export async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<BerthError> {
  let error: unknown;
  try {
    await promise;
  } catch (err) {
    error = err;
  }
  expect(error, `expected a ${code} error`).toBeInstanceOf(BerthError);
  const berth = error as BerthError;
  expect({ code: berth.code, detail: berth.detail }).toMatchObject({ code });
  return berth;
}
