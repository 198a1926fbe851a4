// Another process on a test database: opens the store, writes one listed paper, closes.
// Usage: node --import tsx test/helpers/store-child.ts <sqlite|postgres> <path or URL> <paper id>
import { listedOn } from './records.ts';
import { openStoreAt } from './store-kinds.ts';

const [kind, url, paperId] = process.argv.slice(2);
if (!url || !paperId || (kind !== 'sqlite' && kind !== 'postgres')) {
  console.error('usage: store-child.ts <sqlite|postgres> <path or URL> <paper id>');
  process.exit(2);
}
const store = await openStoreAt(kind === 'sqlite' ? { kind, path: url } : { kind, url });
try {
  await store.writeBatch([listedOn('2025-01-09', paperId)]);
} finally {
  await store.close();
}
