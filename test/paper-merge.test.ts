import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DailyEntry, Organization, PaperRecord } from '../src/domain/paper.ts';
import {
  type Listing,
  type MergedPaper,
  mergeListing,
  mergeOrganization,
  mergePaper,
  type OrganizationDetails,
  type PaperColumns,
} from '../src/store/paper-merge.ts';
import { author, paperRecord } from './helpers/records.ts';

const ORGANIZATION_IDS: Record<string, number> = { google: 1, meta: 2 };
const organizationId = (organization: Organization) => ORGANIZATION_IDS[organization.name] ?? null;

/** The row `records` leave when applied in order to no stored paper. */
function storedAfter(...records: PaperRecord[]): PaperColumns | null {
  let stored: PaperColumns | null = null;
  for (const record of records) stored = mergePaper(record, stored, organizationId).columns;
  return stored;
}

const v1 = paperRecord('2501.00001', {
  version: 1,
  title: 'First title',
  githubRepo: 'https://github.com/a/b',
  githubStars: 10,
  importedUpvotes: 5,
  organization: { name: 'google', fullName: 'Google', avatarUrl: null },
});
const fromHf = (overrides: Partial<PaperRecord>) => ({ ...v1, source: 'huggingface' as const, ...overrides });

const paperCases: Array<{
  name: string;
  before: PaperRecord[];
  record: PaperRecord;
  columns?: Partial<PaperColumns>;
  outcome?: Partial<Omit<MergedPaper, 'columns'>>;
}> = [
  {
    name: 'a new paper writes every column, its authors, categories and star count',
    before: [],
    record: v1,
    columns: {
      version: 1,
      title: 'First title',
      metadata_source: 'arxiv',
      organization_id: 1,
      github_stars: 10,
    },
    outcome: { rowChanged: true, authors: v1.authors, categories: ['cs.LG'], stars: 10 },
  },
  {
    name: 'the same record again changes nothing',
    before: [v1],
    record: v1,
    outcome: { rowChanged: false, authors: null, categories: null, stars: null },
  },
  {
    name: 'a newer version replaces the metadata and the lists that differ',
    before: [v1],
    record: { ...v1, version: 2, title: 'Second title', authors: [author('Grace Hopper')] },
    columns: { version: 2, title: 'Second title', authors_text: 'Grace Hopper' },
    outcome: { rowChanged: true, authors: [author('Grace Hopper')], categories: null },
  },
  {
    name: 'an older version never replaces the metadata',
    before: [{ ...v1, version: 3 }],
    record: { ...v1, version: 2, title: 'Older title', categories: ['cs.AI'] },
    columns: { version: 3, title: 'First title' },
    outcome: { rowChanged: false, categories: null },
  },
  {
    name: 'at the same version Hugging Face does not replace arXiv metadata',
    before: [v1],
    record: fromHf({ title: 'HF title' }),
    columns: { title: 'First title', metadata_source: 'arxiv' },
    outcome: { rowChanged: false },
  },
  {
    name: 'at the same version arXiv replaces Hugging Face metadata',
    before: [fromHf({ title: 'HF title' })],
    record: v1,
    columns: { title: 'First title', metadata_source: 'arxiv' },
    outcome: { rowChanged: true },
  },
  {
    name: 'Hugging Face fields are replaced whatever the version; new stars go to the history',
    before: [{ ...v1, version: 3 }],
    record: fromHf({ version: 1, githubStars: 25, aiSummary: 'Short.' }),
    columns: { version: 3, github_stars: 25, ai_summary: 'Short.' },
    outcome: { rowChanged: true, stars: 25 },
  },
  {
    name: 'an undefined field keeps the stored value',
    before: [v1],
    record: { ...v1, githubRepo: undefined, githubStars: undefined, organization: undefined },
    columns: { github_repo: 'https://github.com/a/b', github_stars: 10, organization_id: 1 },
    outcome: { rowChanged: false, stars: null },
  },
  {
    name: 'null clears a field; null upvotes count as none',
    before: [v1],
    record: { ...v1, githubRepo: null, organization: null, importedUpvotes: null },
    columns: { github_repo: null, organization_id: null, imported_upvotes: 0 },
    outcome: { rowChanged: true },
  },
  {
    name: 'another organization replaces the stored one',
    before: [v1],
    record: { ...v1, organization: { name: 'meta', fullName: null, avatarUrl: null } },
    columns: { organization_id: 2 },
    outcome: { rowChanged: true },
  },
];

for (const { name, before, record, columns, outcome } of paperCases) {
  test(`mergePaper: ${name}`, () => {
    const merged = mergePaper(record, storedAfter(...before), organizationId);
    for (const [column, value] of Object.entries(columns ?? {}))
      assert.deepEqual(merged.columns[column as keyof PaperColumns], value, column);
    for (const [field, value] of Object.entries(outcome ?? {}))
      assert.deepEqual(merged[field as keyof MergedPaper], value, field);
  });
}

test('mergePaper asks for an organization id only when the record names one', () => {
  const asked: string[] = [];
  const ask = (organization: Organization) => {
    asked.push(organization.name);
    return 7;
  };
  mergePaper({ ...v1, organization: null }, null, ask);
  mergePaper({ ...v1, organization: undefined }, null, ask);
  assert.deepEqual(asked, []);
  assert.equal(mergePaper(v1, null, ask).columns.organization_id, 7);
  assert.deepEqual(asked, ['google']);
});

const ada = { user: 'ada', fullname: 'Ada Lovelace', avatarUrl: 'https://example.org/ada.png' };
const entry = (
  day: string,
  submittedBy: DailyEntry['submittedBy'],
  submittedAt: string | null,
): DailyEntry => ({
  day,
  submittedBy,
  submittedAt,
});
const unsubmitted: Listing = {
  day: '2025-01-02',
  user: null,
  fullname: null,
  avatar: null,
  submittedAt: null,
};
const byGrace: Listing = {
  day: '2025-01-02',
  user: 'grace',
  fullname: null,
  avatar: null,
  submittedAt: '2025-01-02T10:00:00Z',
};

const listingCases: Array<{
  name: string;
  listed: Listing | null;
  entry: DailyEntry;
  expected: Listing | null;
}> = [
  {
    name: 'an unlisted paper is listed on the entry’s day',
    listed: null,
    entry: entry('2025-01-03', ada, '2025-01-03T09:00:00Z'),
    expected: {
      day: '2025-01-03',
      user: 'ada',
      fullname: 'Ada Lovelace',
      avatar: 'https://example.org/ada.png',
      submittedAt: '2025-01-03T09:00:00Z',
    },
  },
  {
    name: 'an unlisted paper without a submitter is listed too',
    listed: null,
    entry: entry('2025-01-03', null, null),
    expected: { day: '2025-01-03', user: null, fullname: null, avatar: null, submittedAt: null },
  },
  {
    name: 'a later listing on another day keeps the first day and its submitter',
    listed: byGrace,
    entry: entry('2025-01-05', ada, '2025-01-05T09:00:00Z'),
    expected: null,
  },
  {
    name: 'a later listing fills a missing submitter and keeps the first day',
    listed: unsubmitted,
    entry: entry('2025-01-05', ada, '2025-01-05T09:00:00Z'),
    expected: {
      day: '2025-01-02',
      user: 'ada',
      fullname: 'Ada Lovelace',
      avatar: 'https://example.org/ada.png',
      submittedAt: '2025-01-05T09:00:00Z',
    },
  },
  {
    name: 'filling a submitter keeps a known submission time',
    listed: { ...unsubmitted, submittedAt: '2025-01-02T08:00:00Z' },
    entry: entry('2025-01-02', ada, '2025-01-02T09:00:00Z'),
    expected: {
      day: '2025-01-02',
      user: 'ada',
      fullname: 'Ada Lovelace',
      avatar: 'https://example.org/ada.png',
      submittedAt: '2025-01-02T08:00:00Z',
    },
  },
  {
    name: 'a later listing without a submitter changes nothing',
    listed: unsubmitted,
    entry: entry('2025-01-02', null, '2025-01-02T09:00:00Z'),
    expected: null,
  },
];

for (const { name, listed, entry: incoming, expected } of listingCases) {
  test(`mergeListing: ${name}`, () => {
    assert.deepEqual(mergeListing(listed, incoming), expected);
  });
}

const google: OrganizationDetails = { fullName: 'Google', avatarUrl: 'https://example.org/g.png' };
const organizationCases: Array<{
  name: string;
  incoming: Organization;
  expected: OrganizationDetails | null;
}> = [
  {
    name: 'the same details change nothing',
    incoming: { name: 'google', ...google },
    expected: null,
  },
  {
    name: 'missing details keep the known ones',
    incoming: { name: 'google', fullName: null, avatarUrl: null },
    expected: null,
  },
  {
    name: 'a new full name replaces the known one, a missing avatar keeps it',
    incoming: { name: 'google', fullName: 'Google DeepMind', avatarUrl: null },
    expected: { fullName: 'Google DeepMind', avatarUrl: 'https://example.org/g.png' },
  },
  {
    name: 'a new avatar replaces the known one, a missing full name keeps it',
    incoming: { name: 'google', fullName: null, avatarUrl: 'https://example.org/new.png' },
    expected: { fullName: 'Google', avatarUrl: 'https://example.org/new.png' },
  },
];

for (const { name, incoming, expected } of organizationCases) {
  test(`mergeOrganization: ${name}`, () => {
    assert.deepEqual(mergeOrganization(google, incoming), expected);
  });
}

test('mergeOrganization fills details nothing was known of', () => {
  assert.deepEqual(
    mergeOrganization(
      { fullName: null, avatarUrl: null },
      { name: 'meta', fullName: 'Meta AI', avatarUrl: null },
    ),
    { fullName: 'Meta AI', avatarUrl: null },
  );
});
