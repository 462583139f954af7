#pragma once

#include "core/common/enumnames.h"
#include "core/common/result.h"

#include <QJsonObject>
#include <QMetaType>
#include <QString>

#include <optional>

namespace boo {

// Something the operator asks a host to do (architecture: ActionQueue). A plain value: the
// desktop builds it, the queue (in-process or on the server, through POST /api/actions) runs it.
struct HostAction
{
    enum class Kind {
        Warm,      // a 1-token completion, so the model is loaded and its TTL restarts
        Unload,    // POST /api/models/unload/{model}
        UnloadAll, // POST /api/models/unload
        Cancel,    // POST /api/inflight/{id}/cancel
    };
    static constexpr EnumName<Kind> kKindNames[]
        = {{Kind::Warm, u"warm"}, {Kind::Unload, u"unload"}, {Kind::UnloadAll, u"unload_all"}, {Kind::Cancel, u"cancel"}};

    qint64 id = 0; // assigned by the queue that accepted it (per queue, from 1)
    QString hostId;
    Kind kind = Kind::Warm;
    QString model;       // Warm, Unload
    QString requestId;   // Cancel: the in-flight id on the host
    qint64 queuedMs = 0; // when the queue accepted it
    // Who asks: empty = the operator. A lease holder (a benchmark's warm-up) may act on the host
    // it holds; anyone else's warm or unload there is refused.
    QString holder;

    static QString kindName(Kind kind);
    static std::optional<Kind> kindFromName(QStringView name);

    // "warm qwen3-30b", "cancel request 12": for the action history and log lines.
    QString describe() const;
    // Empty when the action names what it needs (a model for warm/unload, a request for cancel).
    QString validate() const;

    QJsonObject toJson() const;
    static Result<HostAction> fromJson(const QJsonObject &object);

    friend bool operator==(const HostAction &, const HostAction &) = default;
};

} // namespace boo

Q_DECLARE_METATYPE(boo::HostAction)
