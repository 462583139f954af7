#include "core/protocol/modelstatus.h"

#include "core/protocol/jsonfields.h"

using namespace Qt::StringLiterals;

namespace boo {

Result<ModelStatus> ModelStatus::fromJsonObject(const QJsonObject &object, const QString &context)
{
    JsonFields f(object, context);
    ModelStatus m;
    m.id = f.string(u"id"_s, JsonFields::Required);
    m.name = f.string(u"name"_s);
    m.description = f.string(u"description"_s);
    m.stateText = f.string(u"state"_s);
    m.state = modelStateFromString(m.stateText);
    m.unlisted = f.boolean(u"unlisted"_s);
    m.peerId = f.string(u"peerID"_s);
    m.aliases = f.stringList(u"aliases"_s);
    m.capabilities = f.boolMap(u"capabilities"_s);
    m.contextLength = f.optionalInteger(u"context_length"_s);
    const QJsonValue readySince = object.value(u"readySince"_s);
    if (!readySince.isUndefined() && !readySince.isNull())
        m.readySinceMs = f.timestampMs(u"readySince"_s);
    m.uptimeMs = f.optionalInteger(u"uptimeMs"_s);
    if (f.failed())
        return f.error();
    return m;
}

Result<QList<ModelStatus>> ModelStatus::listFromJsonArray(const QJsonArray &array, const QString &context)
{
    return decodeEach(array, context + u" model %1"_s, &ModelStatus::fromJsonObject);
}

} // namespace boo
