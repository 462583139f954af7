#pragma once

#include "core/common/result.h"
#include "core/protocol/modelstate.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace boo {

// One entry of the `modelStatus` SSE message (llama-swap's apiModel): a local model or a peer
// model ("<peerID>/<model>") with its process state. Each message is a full snapshot.
struct ModelStatus
{
    QString id;
    QString name;
    QString description;
    ModelState state = ModelState::None;
    QString stateText; // as sent, for states this build does not know
    bool unlisted = false;
    QString peerId; // empty for local models
    QStringList aliases;
    QMap<QString, bool> capabilities; // vision, function_calling, reranker, ...
    std::optional<qint64> contextLength;
    // v251+ (docs/protocol.md "v251-v260"), while ready: since when, and the host's own uptime
    // count at the time of the message. Empty on older hosts and for models that are not ready.
    std::optional<qint64> readySinceMs; // UTC epoch ms
    std::optional<qint64> uptimeMs;

    bool isPeer() const { return !peerId.isEmpty(); }

    static Result<ModelStatus> fromJsonObject(const QJsonObject &object, const QString &context);
    static Result<QList<ModelStatus>> listFromJsonArray(const QJsonArray &array, const QString &context);

    friend bool operator==(const ModelStatus &, const ModelStatus &) = default;
};

} // namespace boo
