import { deserializeError, serializeError } from '../../src/util';

describe('serializeError', () => {
  it('keeps name, message, stack and code', () => {
    const error = Object.assign(new TypeError('bad value'), { code: 'E_BAD' });
    expect(serializeError(error)).toMatchObject({ name: 'TypeError', message: 'bad value', code: 'E_BAD' });
    expect(deserializeError(serializeError(error)).stack).toBe(error.stack);
  });

  it("takes an empty message from the stack's head, as jest-circus leaves a failed hook's", () => {
    const hook = { name: 'Error', message: '', stack: 'Error: afterAll broke on b\nsecond line\n    at Object.<anonymous> (a.test.ts:3:39)' };
    expect(serializeError(hook).message).toBe('afterAll broke on b\nsecond line');
  });

  it('says what a thrown non-error was', () => {
    expect(serializeError('just a string').message).toBe('Non-error value thrown: "just a string"');
  });
});
