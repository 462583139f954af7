#include "core/bench/benchrun.h"

#include <QJsonArray>

#include <cmath>

using namespace Qt::StringLiterals;

namespace boo {

bool BenchRunResult::hasRegression() const
{
    for (const BenchCell &cell : cells) {
        for (const QString &flag : cell.flags) {
            if (flag.startsWith(u"regression:"))
                return true;
        }
    }
    return false;
}

QJsonObject BenchRunResult::toJson() const
{
    QJsonArray cellsJson;
    for (const BenchCell &cell : cells)
        cellsJson << cell.toJson();
    QJsonObject cold;
    for (auto it = coldStartMs.cbegin(); it != coldStartMs.cend(); ++it)
        cold.insert(it.key(), std::round(it.value() * 1000.0) / 1000.0);
    QJsonObject coldErrors;
    for (auto it = coldStartErrors.cbegin(); it != coldStartErrors.cend(); ++it)
        coldErrors.insert(it.key(), it.value());
    QJsonObject hostsJson;
    for (const BenchHostInfo &host : hosts)
        hostsJson.insert(host.providerId, QJsonObject{{u"version"_s, host.version}, {u"gpus"_s, QJsonArray::fromStringList(host.gpus)}});
    return QJsonObject{
        {u"run_id"_s, id},
        {u"suite"_s, suite.name},
        {u"started_at"_s, startedAtMs},
        {u"finished_at"_s, finishedAtMs},
        {u"mode"_s, enumNameString(kBenchLoadModeNames, suite.mode)},
        {u"via"_s, via},
        {u"cells"_s, cellsJson},
        {u"cold_start_ms"_s, cold},
        {u"cold_start_errors"_s, coldErrors},
        {u"hosts"_s, hostsJson},
        {u"formulas"_s, BenchCell::formulas()},
    };
}

} // namespace boo
