#pragma once

#include "core/common/result.h"
#include "core/store/requestquery.h"

#include <QJsonObject>
#include <QList>

namespace boo {

class Database;

// Requests and tokens of one (source, model) pair within a filter. Sums count only the values
// hosts reported; a request without a count adds nothing to it.
struct RequestTotal
{
    QString source; // empty = not attributed
    QString model;
    qint64 requests = 0;
    qint64 inputTokens = 0;
    qint64 cachedTokens = 0;
    qint64 outputTokens = 0;

    QJsonObject toJson() const;
    static Result<RequestTotal> fromJson(const QJsonObject &object);
    friend bool operator==(const RequestTotal &, const RequestTotal &) = default;
};

// Token totals of the requests a RequestFilter selects (its cursor and limit are ignored),
// grouped by source and model: the Activity tab derives its per-source and per-model sums.
class RequestTotalsQuery final
{
public:
    static Result<QList<RequestTotal>> fetch(Database &db, const RequestFilter &filter);
};

} // namespace boo
