#include "core/protocol/runningmodel.h"

#include "core/protocol/jsonfields.h"

using namespace Qt::StringLiterals;

namespace boo {

namespace {

Result<RunningModel> runningModelFromJson(const QJsonObject &object, const QString &context)
{
    JsonFields f(object, context);
    RunningModel m;
    m.model = f.string(u"model"_s, JsonFields::Required);
    m.stateText = f.string(u"state"_s);
    m.state = modelStateFromString(m.stateText);
    m.cmd = f.string(u"cmd"_s);
    m.proxy = f.string(u"proxy"_s);
    m.ttlSeconds = f.integer(u"ttl"_s);
    m.name = f.string(u"name"_s);
    m.description = f.string(u"description"_s);
    if (f.failed())
        return f.error();
    return m;
}

} // namespace

Result<QList<RunningModel>> RunningModel::listFromJson(const QByteArray &body)
{
    const QString what = u"/running"_s;
    auto object = JsonFields::parseObject(body, what);
    if (!object)
        return object.error();
    JsonFields f(*object, what);
    // The key must be there (else this is not a /running body); null is an idle host too.
    if (!f.has(u"running"_s))
        f.fail(u"running"_s, u"is missing"_s);
    const QJsonArray running = f.array(u"running"_s);
    if (f.failed())
        return f.error();
    return decodeEach(running, u"/running entry %1"_s, &runningModelFromJson);
}

} // namespace boo
