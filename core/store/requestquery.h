#pragma once

#include "core/common/result.h"
#include "core/store/historyrows.h"

#include <QJsonObject>
#include <QList>
#include <QStringList>
#include <QVariantList>

#include <optional>

namespace boo {

class Database;

// Which stored requests to read: newest first, one page at a time.
struct RequestFilter
{
    static constexpr int kMaxLimit = 1000;

    QString host;                   // provider id; empty = all
    QStringList models;             // empty = all
    QString source;                 // exact X-Boo-Source; "-" = not attributed
    std::optional<qint64> sinceMs;  // ts >= since
    std::optional<qint64> untilMs;  // ts < until
    std::optional<int> statusClass; // 2, 4, 5 for 2xx/4xx/5xx
    QString text;                   // substring of model, path or error message
    int limit = 100;
    std::optional<qint64> beforeId; // keyset cursor: rows older than this one
};

struct StoredRequest
{
    qint64 id = 0; // our row id (the cursor), not the host's activity id
    RequestRow row;

    QJsonObject toJson() const;
    // The control API's row (GET /api/requests) back into a value, for attached cockpits.
    static Result<StoredRequest> fromJson(const QJsonObject &object);
};

struct RequestPage
{
    QList<StoredRequest> rows;
    std::optional<qint64> nextBeforeId; // pass as beforeId for the next page; empty at the end
};

// Keyset-paginated reads of control_requests, ordered by finish time then id (newest first),
// so that a page costs the same at row 10 and at row 10 million.
class RequestQuery final
{
public:
    static Result<RequestPage> fetch(Database &db, const RequestFilter &filter);
    // The WHERE conditions of a filter (all but the cursor), with their values appended to
    // `binds`: shared by the aggregate queries so that totals cover exactly the listed rows.
    static QStringList conditions(const RequestFilter &filter, QVariantList &binds);
    // The same filter applied to a row in memory (live rows of the cockpit, not stored yet).
    // The text match ignores case, like SQLite's LIKE.
    static bool matches(const RequestFilter &filter, const RequestRow &row);
};

} // namespace boo
