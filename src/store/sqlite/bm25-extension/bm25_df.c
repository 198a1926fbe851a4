/*
 * bm25_df: the FTS5 BM25 rank (k1 = 1.2, b = 0.75, one document length over all columns, column weights) with the
 * phrases' document frequencies passed in by the caller instead of counted for every query.
 *
 *   bm25_df(fts_table, weight_col0, ..., weight_colN-1, df_phrase0, ..., df_phraseM-1)
 *
 * FTS5's built-in bm25() counts each phrase's matching rows over the whole index once per query; for a common
 * word in millions of papers that count costs tens of milliseconds, far more than ranking the few hundred
 * candidates a query really has. The caller knows the frequencies (it chose its words by them) and passes them:
 *   - a number: the phrase's document frequency;
 *   - NULL: count it here, as bm25() does (required phrases, whose frequency the caller does not know);
 *   - a negative number: the phrase does not rank (a word repeated in the expression only to select candidates).
 * Returns the score negated, as bm25() does: smaller is better.
 *
 * Also release_free_memory(): gives the pages glibc's malloc holds free back to the operating system (malloc_trim),
 * for a process after a burst of work (src/collect-garbage.ts); 0 where the C library has no such call.
 */
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT1
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

typedef struct QueryStats {
  int phrases;
  double averageLength;
  double *idf; /* per phrase; 0 for phrases that do not rank */
} QueryStats;

static void freeQueryStats(void *pointer) {
  QueryStats *stats = (QueryStats *)pointer;
  if (stats) sqlite3_free(stats->idf);
  sqlite3_free(stats);
}

static int countRow(const Fts5ExtensionApi *api, Fts5Context *fts, void *userData) {
  (void)api;
  (void)fts;
  (*(sqlite3_int64 *)userData)++;
  return SQLITE_OK;
}

/* The per-query part: row count, average length and each phrase's idf, computed on the first row. */
static int queryStats(const Fts5ExtensionApi *api, Fts5Context *fts, int columns, int nVal, sqlite3_value **values,
                      QueryStats **result, char **error) {
  QueryStats *stats = (QueryStats *)api->xGetAuxdata(fts, 0);
  if (stats) {
    *result = stats;
    return SQLITE_OK;
  }
  int phrases = api->xPhraseCount(fts);
  if (nVal != columns + phrases) {
    *error = sqlite3_mprintf("bm25_df: expected %d column weights and %d phrase frequencies, got %d values",
                             columns, phrases, nVal);
    return SQLITE_ERROR;
  }
  sqlite3_int64 rows = 0;
  sqlite3_int64 tokens = 0;
  int rc = api->xRowCount(fts, &rows);
  if (rc == SQLITE_OK) rc = api->xColumnTotalSize(fts, -1, &tokens);
  if (rc != SQLITE_OK) return rc;
  stats = (QueryStats *)sqlite3_malloc(sizeof(QueryStats));
  if (!stats) return SQLITE_NOMEM;
  stats->phrases = phrases;
  stats->averageLength = rows > 0 ? (double)tokens / (double)rows : 1.0;
  stats->idf = (double *)sqlite3_malloc64(sizeof(double) * (phrases > 0 ? phrases : 1));
  if (!stats->idf) {
    freeQueryStats(stats);
    return SQLITE_NOMEM;
  }
  for (int phrase = 0; phrase < phrases; phrase++) {
    sqlite3_value *given = values[columns + phrase];
    double frequency;
    if (sqlite3_value_type(given) == SQLITE_NULL) {
      sqlite3_int64 hits = 0;
      rc = api->xQueryPhrase(fts, phrase, &hits, countRow);
      if (rc != SQLITE_OK) {
        freeQueryStats(stats);
        return rc;
      }
      frequency = (double)hits;
    } else {
      frequency = sqlite3_value_double(given);
    }
    if (frequency < 0) {
      stats->idf[phrase] = 0.0;
      continue;
    }
    double idf = log(((double)rows - frequency + 0.5) / (frequency + 0.5));
    /* As bm25(): a word in over half the rows still counts a little. */
    stats->idf[phrase] = idf <= 0.0 ? 1e-6 : idf;
  }
  rc = api->xSetAuxdata(fts, stats, freeQueryStats);
  if (rc != SQLITE_OK) return rc;
  *result = stats;
  return SQLITE_OK;
}

static void bm25WithFrequencies(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *context, int nVal,
                                sqlite3_value **values) {
  const double k1 = 1.2;
  const double b = 0.75;
  int columns = api->xColumnCount(fts);
  QueryStats *stats = 0;
  char *error = 0;
  int rc = queryStats(api, fts, columns, nVal, values, &stats, &error);
  if (error) {
    sqlite3_result_error(context, error, -1);
    sqlite3_free(error);
    return;
  }
  if (rc != SQLITE_OK) {
    sqlite3_result_error_code(context, rc);
    return;
  }
  double stackFrequencies[32];
  double *frequencies = stats->phrases <= 32 ? stackFrequencies
                                             : (double *)sqlite3_malloc64(sizeof(double) * stats->phrases);
  if (!frequencies) {
    sqlite3_result_error_nomem(context);
    return;
  }
  memset(frequencies, 0, sizeof(double) * (stats->phrases > 0 ? stats->phrases : 1));
  int instances = 0;
  rc = api->xInstCount(fts, &instances);
  for (int i = 0; rc == SQLITE_OK && i < instances; i++) {
    int phrase, column, offset;
    rc = api->xInst(fts, i, &phrase, &column, &offset);
    if (rc == SQLITE_OK) frequencies[phrase] += sqlite3_value_double(values[column]);
  }
  int length = 0;
  if (rc == SQLITE_OK) rc = api->xColumnSize(fts, -1, &length);
  if (rc == SQLITE_OK) {
    double norm = k1 * (1.0 - b + b * (double)length / stats->averageLength);
    double score = 0.0;
    for (int phrase = 0; phrase < stats->phrases; phrase++) {
      double f = frequencies[phrase];
      if (f > 0.0) score += stats->idf[phrase] * (f * (k1 + 1.0)) / (f + norm);
    }
    sqlite3_result_double(context, -score);
  } else {
    sqlite3_result_error_code(context, rc);
  }
  if (frequencies != stackFrequencies) sqlite3_free(frequencies);
}

static fts5_api *findFts5(sqlite3 *db) {
  fts5_api *api = 0;
  sqlite3_stmt *statement = 0;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &statement, 0) != SQLITE_OK) return 0;
  sqlite3_bind_pointer(statement, 1, (void *)&api, "fts5_api_ptr", 0);
  sqlite3_step(statement);
  sqlite3_finalize(statement);
  return api;
}

static void releaseFreeMemory(sqlite3_context *context, int argc, sqlite3_value **argv) {
  (void)argc;
  (void)argv;
#ifdef __GLIBC__
  sqlite3_result_int(context, malloc_trim(0));
#else
  sqlite3_result_int(context, 0);
#endif
}

#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_extension_init(sqlite3 *db, char **error, const sqlite3_api_routines *routines) {
  SQLITE_EXTENSION_INIT2(routines);
  fts5_api *fts5 = findFts5(db);
  if (!fts5 || fts5->iVersion < 2) {
    *error = sqlite3_mprintf("bm25_df: this SQLite has no FTS5");
    return SQLITE_ERROR;
  }
  int rc = sqlite3_create_function(db, "release_free_memory", 0, SQLITE_UTF8, 0, releaseFreeMemory, 0, 0);
  if (rc != SQLITE_OK) return rc;
  return fts5->xCreateFunction(fts5, "bm25_df", 0, bm25WithFrequencies, 0);
}
