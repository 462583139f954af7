#pragma once

#include "core/common/result.h"
#include "core/protocol/modelstate.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace boo {

// One entry of `GET /running`: a local model process that is starting, ready or stopping.
// The only place llama-swap reveals a model's command line, upstream URL and effective TTL.
struct RunningModel
{
    QString model;
    ModelState state = ModelState::None;
    QString stateText;
    QString cmd;           // after macro expansion; may contain newlines
    QString proxy;         // upstream base URL
    qint64 ttlSeconds = 0; // 0 = never unloads by itself
    QString name;
    QString description;

    // The whole body `{"running":[...]}`.
    static Result<QList<RunningModel>> listFromJson(const QByteArray &body);

    friend bool operator==(const RunningModel &, const RunningModel &) = default;
};

} // namespace boo
