#pragma once

#include "core/store/historyrows.h"

#include <QList>

namespace boo::test {

// Distinct, fully populated rows for store tests: row i of each kind has its own unique key.
RequestRow makeRequestRow(const QString &host, qint64 i);
PerfSampleRow makePerfRow(const QString &host, qint64 i, int gpu = 0);
ModelEventRow makeModelEventRow(const QString &host, qint64 i);
// `count` rows cycling through the three kinds (request, perf, model event).
QList<HistoryRow> makeMixedRows(const QString &host, qint64 count, qint64 firstIndex = 0);

} // namespace boo::test
