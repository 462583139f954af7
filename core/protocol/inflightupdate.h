#pragma once

#include "core/common/enumnames.h"
#include "core/common/result.h"
#include "core/protocol/inflightrequest.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace boo {

// The `inflight` SSE message in all three historical shapes:
//   v240+      {"operation":"snapshot"|"upsert"|"remove", "requests"?, "request"?, "id"?}
//   v235–v239  {"requests":[...]}  — the full list every time (decoded as a Snapshot)
//   <= v234    {"total":N}          — only a count (Count)
// A snapshot without `requests` is an empty list: Go omits empty lists.
struct InFlightUpdate
{
    enum class Operation { Snapshot, Upsert, Remove, Count };
    // The v240+ `operation` values; Count is the <= v234 shape and has no name.
    static constexpr EnumName<Operation> kOperationNames[] = {
        {Operation::Snapshot, u"snapshot"},
        {Operation::Upsert, u"upsert"},
        {Operation::Remove, u"remove"},
    };
    enum class Shape { Operations, FullList, Total };

    Operation operation = Operation::Snapshot;
    Shape shape = Shape::Operations;
    QList<InFlightRequest> requests;        // Snapshot: the whole authoritative list
    std::optional<InFlightRequest> request; // Upsert: insert or replace by id
    QString removedId;                      // Remove
    qint64 total = 0;                       // Count; for the other operations: requests.size()

    static Result<InFlightUpdate> fromJsonObject(const QJsonObject &object);

    friend bool operator==(const InFlightUpdate &, const InFlightUpdate &) = default;
};

} // namespace boo
