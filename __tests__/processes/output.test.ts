import { LineSplitter } from '../../src/processes/LineSplitter';
import { OutputRateCap } from '../../src/processes/OutputRateCap';

describe('LineSplitter', () => {
  it('splits chunks into lines, joining lines and UTF-8 characters split across chunks', () => {
    const splitter = new LineSplitter(1024);
    const euro = Buffer.from('€');
    expect(splitter.push(Buffer.from('one\ntw'))).toEqual(['one']);
    expect(splitter.push(Buffer.concat([Buffer.from('o '), euro.subarray(0, 1)]))).toEqual([]);
    expect(splitter.push(Buffer.concat([euro.subarray(1), Buffer.from('\r\nthree')]))).toEqual(['two €']);
    expect(splitter.end()).toEqual(['three']);
  });

  it('cuts a line longer than the limit and drops the rest of it without holding it', () => {
    const splitter = new LineSplitter(10);
    expect(splitter.push('0123456789abc')).toEqual(['0123456789…[cut]']);
    expect(splitter.push('def'.repeat(1000))).toEqual([]);
    expect(splitter.push('ghi\nnext\n')).toEqual(['next']);
    expect(splitter.push(`${'x'.repeat(20)}\n`)).toEqual(['xxxxxxxxxx…[cut]']);
    expect(splitter.end()).toEqual([]);
  });
});

describe('OutputRateCap', () => {
  it('lets a burst through, then the sustained rate', () => {
    const cap = new OutputRateCap(1000, 100);
    expect(cap.take(600, 0)).toBe(true);
    expect(cap.take(400, 0)).toBe(true);
    expect(cap.take(1, 0)).toBe(false);
    expect(cap.take(50, 500)).toBe(true);
    expect(cap.take(50, 500)).toBe(false);
    expect(cap.take(1000, 100_000)).toBe(true);
  });
});
