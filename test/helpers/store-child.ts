// Another process on a test database: opens the store, writes one listed paper, closes.
// Usage: node --import tsx test/helpers/store-child.ts <store kind> <path or URL> <paper id>
import { listedOn } from './records.ts';
import { ALL_STORE_KINDS, openStoreAt, type StoreKind, storeLocation } from './store-kinds.ts';

const [kind, url, paperId] = process.argv.slice(2);
if (!url || !paperId || !ALL_STORE_KINDS.includes(kind as StoreKind)) {
  console.error(`usage: store-child.ts <${ALL_STORE_KINDS.join('|')}> <path or URL> <paper id>`);
  process.exit(2);
}
const store = await openStoreAt(storeLocation(kind as StoreKind, url));
try {
  await store.papers.writeBatch([listedOn('2025-01-09', paperId)]);
} finally {
  await store.close();
}
