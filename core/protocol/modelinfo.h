#pragma once

#include "core/common/enumnames.h"
#include "core/common/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace boo {

// One record of `GET /v1/models` (also `/models`). Besides real models, llama-swap lists aliases,
// peer models, selectors and profile pins; `meta.llamaswap.type` says which (kind).
struct ModelInfo
{
    enum class Kind { Model, Alias, Peer, Selector, Profile, Unknown };
    // meta.llamaswap.type; Unknown has no name: it stands for any other text (kindText keeps it).
    static constexpr EnumName<Kind> kKindNames[] = {
        {Kind::Model, u"model"}, {Kind::Alias, u"alias"}, {Kind::Peer, u"peer"}, {Kind::Selector, u"selector"}, {Kind::Profile, u"profile"},
    };

    QString id;
    QString object;
    qint64 created = 0; // Unix seconds at request time, same for every record
    QString ownedBy;
    QString name;
    QString description;
    QStringList inputModalities;
    QStringList outputModalities;
    QString modality; // "text+image->text"
    QMap<QString, bool> capabilities;
    QStringList supportedParameters;
    std::optional<qint64> contextLength;
    std::optional<qint64> nCtx; // meta.n_ctx

    // meta.llamaswap
    Kind kind = Kind::Unknown; // Unknown also when a release sent no meta at all
    QString kindText;
    QStringList aliases; // type "model"
    QString modelId;     // type "alias": the real model
    QString peerId;      // type "peer"
    QString strategy;    // type "selector": warm | pin | spillover
    QStringList targets; // type "selector"
    std::optional<qint64> spillover;
    QJsonObject llamaswapMeta; // everything, including the user's own metadata keys

    // status.value; older releases (< v236) have no status: empty optional.
    std::optional<bool> loaded;
    QString statusText;

    // The whole body `{"data":[...],"object":"list"}`.
    static Result<QList<ModelInfo>> listFromJson(const QByteArray &body);
    static Result<ModelInfo> fromJsonObject(const QJsonObject &object, const QString &context);

    friend bool operator==(const ModelInfo &, const ModelInfo &) = default;
};

} // namespace boo
