import { describe, expect, it } from 'vitest';
import { singular } from './inflector';

// [word, CodeIgniter 3.1.13 singular($word)]
const WORDS: [string, string][] = [
  // this API's list names
  ['data', 'data'], // uncountable: rows under <data> are <item>
  ['xml', 'xml'], // the root: its list items would be <item>
  ['contacts', 'contact'],
  ['sites', 'site'],
  ['placements', 'placement'],
  ['ad_units', 'ad_unit'],
  ['delivery_groups', 'delivery_group'],
  // the rule table, first match wins
  ['Data', 'Data'], // uncountable check is case-insensitive
  ['series', 'series'],
  ['equipment', 'equipment'],
  ['matrices', 'matrix'],
  ['indices', 'index'],
  ['oxen', 'ox'],
  ['aliases', 'alias'],
  ['octopi', 'octopus'],
  ['crises', 'crisis'],
  ['shoes', 'shoe'],
  ['heroes', 'hero'],
  ['buses', 'bus'],
  ['mice', 'mouse'],
  ['boxes', 'box'],
  ['addresses', 'address'],
  ['movies', 'movie'],
  ['categories', 'category'],
  ['queries', 'query'],
  ['wolves', 'wolf'],
  ['archives', 'archive'],
  ['knives', 'knife'],
  ['analyses', 'analysis'],
  ['diagnoses', 'diagnosis'],
  ['media', 'medium'],
  ['people', 'person'],
  ['women', 'woman'],
  ['statuses', 'status'],
  ['children', 'child'],
  ['news', 'news'],
  ['quizzes', 'quiz'],
  ['campaigns', 'campaign'],
  ['status', 'status'], // `([^us])s$` leaves -us and -ss words alone
  ['class', 'class'],
  ['item', 'item'],
  ['Contacts', 'Contact'],
];

describe('CodeIgniter 3.1.13 singular()', () => {
  it.each(WORDS)('%s → %s', (word, expected) => {
    expect(singular(word)).toBe(expected);
  });
});
