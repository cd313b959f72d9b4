import { describe, expect, it } from 'vitest';
import { KindJournal } from '../../../src/viz/time-domain/kind-journal.ts';

describe('KindJournal', () => {
  it('lists the records noted since a reader stopped, repeats included', () => {
    const journal = new KindJournal();
    journal.note(4);
    const [epoch, position] = [journal.epoch, journal.position];
    journal.note(9);
    journal.note(2);
    journal.note(9);
    expect([...journal.since(epoch, position)!]).toEqual([9, 2, 9]);
    expect([...journal.since(epoch, journal.position)!]).toEqual([]);
  });

  it('cannot tell a reader of an earlier epoch, nor one whose entries it forgot', () => {
    const journal = new KindJournal();
    journal.note(1);
    const [epoch, position] = [journal.epoch, journal.position];
    journal.restart();
    expect(journal.since(epoch, position)).toBeUndefined();
    expect([...journal.since(journal.epoch, journal.position)!]).toEqual([]);
    const [now, at] = [journal.epoch, journal.position];
    for (let i = 0; i < 70_000; i++) journal.note(i);
    expect(journal.since(now, at)).toBeUndefined();
    const late = journal.position;
    journal.note(5);
    expect([...journal.since(now, late)!]).toEqual([5]);
  });
});
