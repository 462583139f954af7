#include "core/protocol/modelinfo.h"

#include "core/protocol/jsonfields.h"

using namespace Qt::StringLiterals;

namespace boo {

Result<ModelInfo> ModelInfo::fromJsonObject(const QJsonObject &object, const QString &context)
{
    JsonFields f(object, context);
    ModelInfo m;
    m.id = f.string(u"id"_s, JsonFields::Required);
    m.object = f.string(u"object"_s);
    m.created = f.integer(u"created"_s);
    m.ownedBy = f.string(u"owned_by"_s);
    m.name = f.string(u"name"_s);
    m.description = f.string(u"description"_s);
    m.capabilities = f.boolMap(u"capabilities"_s);
    m.supportedParameters = f.stringList(u"supported_parameters"_s);
    m.contextLength = f.optionalInteger(u"context_length"_s);

    JsonFields arch = f.child(u"architecture"_s, f.object(u"architecture"_s));
    m.inputModalities = arch.stringList(u"input_modalities"_s);
    m.outputModalities = arch.stringList(u"output_modalities"_s);
    m.modality = arch.string(u"modality"_s);
    if (arch.failed())
        f.adopt(arch.error());

    JsonFields meta = f.child(u"meta"_s, f.object(u"meta"_s));
    m.nCtx = meta.optionalInteger(u"n_ctx"_s);
    m.llamaswapMeta = meta.object(u"llamaswap"_s);
    if (meta.failed())
        f.adopt(meta.error());

    // User metadata is merged into meta.llamaswap, so only the keys llama-swap itself writes are
    // typed; anything else stays in llamaswapMeta for display.
    JsonFields ls = meta.child(u"llamaswap"_s, m.llamaswapMeta);
    m.kindText = ls.string(u"type"_s);
    m.kind = enumFromName(kKindNames, m.kindText).value_or(Kind::Unknown);
    switch (m.kind) {
    case Kind::Model: m.aliases = ls.stringList(u"aliases"_s); break;
    case Kind::Alias: m.modelId = ls.string(u"modelID"_s); break;
    case Kind::Peer: m.peerId = ls.string(u"peerID"_s); break;
    case Kind::Selector:
        m.strategy = ls.string(u"strategy"_s);
        m.targets = ls.stringList(u"targets"_s);
        // Only the spillover strategy writes this key; for others it may be user metadata.
        if (m.strategy == u"spillover"_s)
            m.spillover = ls.optionalInteger(u"spillover"_s);
        break;
    case Kind::Profile:
    case Kind::Unknown: break;
    }
    if (ls.failed())
        f.adopt(ls.error());

    if (f.has(u"status"_s)) {
        JsonFields status = f.child(u"status"_s, f.object(u"status"_s));
        m.statusText = status.string(u"value"_s);
        if (status.failed())
            f.adopt(status.error());
        else if (m.statusText == u"loaded"_s)
            m.loaded = true;
        else if (m.statusText == u"unloaded"_s)
            m.loaded = false;
    }
    if (f.failed())
        return f.error();
    return m;
}

Result<QList<ModelInfo>> ModelInfo::listFromJson(const QByteArray &body)
{
    const QString what = u"/v1/models"_s;
    auto object = JsonFields::parseObject(body, what);
    if (!object)
        return object.error();
    JsonFields f(*object, what);
    const QJsonArray data = f.array(u"data"_s, JsonFields::Required);
    if (f.failed())
        return f.error();
    return decodeEach(data, u"/v1/models record %1"_s, &ModelInfo::fromJsonObject);
}

} // namespace boo
