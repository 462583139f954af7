#include "core/protocol/eventdecoder.h"

#include "core/protocol/envelopescanner.h"
#include "core/protocol/jsonfields.h"

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// The inner document of a message from the text of `data` (UTF-8 JSON).
Result<QJsonValue> innerDocumentFromText(const QByteArray &text, const QString &type)
{
    // Go encodes a nil slice as `null`, which QJsonDocument refuses as a top-level value.
    if (text.trimmed() == "null")
        return QJsonValue(QJsonValue::Null);
    auto document = JsonFields::parseDocument(text, u"%1 message data"_s.arg(type));
    if (!document)
        return document.error();
    if (document->isArray())
        return QJsonValue(document->array());
    if (document->isObject())
        return QJsonValue(document->object());
    return makeError(protocolerror::field(), u"%1 message data: the document is a scalar"_s.arg(type));
}

// The inner document of a message: `data` as a string holding JSON (the normal case) or, for
// robustness, JSON directly.
Result<QJsonValue> innerDocument(const QJsonValue &data, const QString &type)
{
    if (data.isObject() || data.isArray())
        return data;
    if (!data.isString()) {
        return makeError(protocolerror::field(),
                         u"%1 message: field \"data\" is %2, expected a string holding JSON"_s.arg(type, JsonFields::typeName(data)));
    }
    return innerDocumentFromText(data.toString().toUtf8(), type);
}

Result<QJsonObject> asObject(const QJsonValue &value, const QString &type)
{
    if (!value.isObject())
        return makeError(protocolerror::field(), u"%1 message data is %2, expected an object"_s.arg(type, JsonFields::typeName(value)));
    return value.toObject();
}

Result<QJsonArray> asArray(const QJsonValue &value, const QString &type)
{
    if (!value.isArray())
        return makeError(protocolerror::field(), u"%1 message data is %2, expected an array"_s.arg(type, JsonFields::typeName(value)));
    return value.toArray();
}

Result<HostEvent> decodeModelStatus(const QJsonValue &data)
{
    if (data.isNull())
        return HostEvent(ModelStatusEvent{}); // a host without models
    auto array = asArray(data, u"modelStatus"_s);
    if (!array)
        return array.error();
    auto models = ModelStatus::listFromJsonArray(*array, u"modelStatus"_s);
    if (!models)
        return models.error();
    return HostEvent(ModelStatusEvent{std::move(*models)});
}

Result<HostEvent> decodeLogData(const QJsonValue &data)
{
    auto object = asObject(data, u"logData"_s);
    if (!object)
        return object.error();
    JsonFields f(*object, u"logData"_s);
    LogDataEvent e;
    e.text = f.string(u"data"_s);
    e.sourceText = f.string(u"source"_s);
    if (f.failed())
        return f.error();
    e.source = enumFromName(LogDataEvent::kSourceNames, e.sourceText).value_or(LogDataEvent::Source::Other);
    return HostEvent(std::move(e));
}

Result<HostEvent> decodeUiConfig(const QJsonValue &data)
{
    auto object = asObject(data, u"uiConfig"_s);
    if (!object)
        return object.error();
    JsonFields f(*object, u"uiConfig"_s);
    JsonFields activity = f.child(u"activity"_s, f.object(u"activity"_s));
    UiConfigEvent e;
    e.sessionIdHeaders = activity.stringList(u"session_id"_s);
    e.globalConcurrencyLimit = f.optionalInteger(u"globalConcurrencyLimit"_s);
    if (e.globalConcurrencyLimit && *e.globalConcurrencyLimit <= 0)
        e.globalConcurrencyLimit.reset(); // llama-swap's "no limit"
    if (activity.failed())
        return activity.error();
    if (f.failed())
        return f.error();
    return HostEvent(std::move(e));
}

Result<HostEvent> decodeProfileChanged(const QJsonValue &data)
{
    auto object = asObject(data, u"profileChanged"_s);
    if (!object)
        return object.error();
    JsonFields f(*object, u"profileChanged"_s);
    ProfileChangedEvent e;
    e.active = f.nullableString(u"active"_s);
    if (f.failed())
        return f.error();
    return HostEvent(std::move(e));
}

Result<HostEvent> decodeInFlight(const QJsonValue &data)
{
    auto object = asObject(data, u"inflight"_s);
    if (!object)
        return object.error();
    auto update = InFlightUpdate::fromJsonObject(*object);
    if (!update)
        return update.error();
    return HostEvent(InFlightEvent{std::move(*update)});
}

Result<HostEvent> decodeActivity(const QJsonValue &data)
{
    auto object = asObject(data, u"activity"_s);
    if (!object)
        return object.error();
    JsonFields f(*object, u"activity"_s);
    ActivityEvent e;
    e.id = f.integer(u"id"_s, JsonFields::Required);
    if (f.failed())
        return f.error();
    return HostEvent(e);
}

Result<HostEvent> decodeMetrics(const QJsonValue &data)
{
    // Before v236 the payload is an array of rows; be lenient with a single row object.
    QJsonArray rows;
    if (data.isObject())
        rows.append(data);
    else if (data.isArray())
        rows = data.toArray();
    else if (!data.isNull()) // null: a nil slice, no rows
        return asArray(data, u"metrics"_s).error();
    auto entries = ActivityEntry::listFromJsonArray(rows, u"metrics"_s);
    if (!entries)
        return entries.error();
    return HostEvent(MetricsEvent{std::move(*entries)});
}

using Decode = Result<HostEvent> (*)(const QJsonValue &);

// The decoder of an envelope type; null for a type this build does not know.
Decode decoderFor(const QString &type)
{
    static const std::pair<QLatin1StringView, Decode> decoders[] = {
        {"modelStatus"_L1, &decodeModelStatus}, {"logData"_L1, &decodeLogData},
        {"uiConfig"_L1, &decodeUiConfig},       {"profileChanged"_L1, &decodeProfileChanged},
        {"inflight"_L1, &decodeInFlight},       {"activity"_L1, &decodeActivity},
        {"metrics"_L1, &decodeMetrics},
    };
    for (const auto &[name, decoder] : decoders) {
        if (type == name)
            return decoder;
    }
    return nullptr;
}

} // namespace

Result<HostEvent> EventDecoder::decode(const SseEvent &event)
{
    // llama-swap names every event "message"; another name is not ours to interpret.
    if (!event.event.isEmpty() && event.event != "message") {
        ++m_unknown;
        return HostEvent(UnknownEvent{u"event:"_s + QString::fromUtf8(event.event.left(64))});
    }
    return decodeEnvelope(event.data);
}

Result<HostEvent> EventDecoder::decodeEnvelope(const QByteArray &envelopeJson)
{
    // The usual envelope, two strings, is read by a scanner that leaves `data` as UTF-8 bytes;
    // anything else goes through the JSON parser, which also explains what is wrong.
    if (auto scanned = scanStringEnvelope(envelopeJson)) {
        const QString type = QString::fromLatin1(scanned->type);
        return decodeTyped(type, [&] { return innerDocumentFromText(scanned->data, type); });
    }

    auto envelope = JsonFields::parseObject(envelopeJson, u"event envelope"_s);
    if (!envelope)
        return count(envelope.error());
    JsonFields f(*envelope, u"event envelope"_s);
    const QString type = f.string(u"type"_s, JsonFields::Required);
    if (f.failed())
        return count(f.error());
    if (!envelope->contains(u"data"_s))
        return count(makeError(protocolerror::field(), u"%1 message: field \"data\" is missing"_s.arg(type.left(64))));
    return decodeTyped(type, [&] { return innerDocument(envelope->value(u"data"_s), type); });
}

Result<HostEvent> EventDecoder::decodeTyped(const QString &type, const std::function<Result<QJsonValue>()> &innerDocument)
{
    const Decode decodeData = decoderFor(type);
    if (!decodeData) {
        ++m_unknown;
        return HostEvent(UnknownEvent{type.left(256)});
    }
    auto inner = innerDocument();
    if (!inner)
        return count(inner.error());
    return count(decodeData(*inner));
}

Result<HostEvent> EventDecoder::count(Result<HostEvent> result)
{
    if (result)
        ++m_decoded;
    else
        ++m_errors;
    return result;
}

void EventDecoder::resetCounters()
{
    m_decoded = m_unknown = m_errors = 0;
}

} // namespace boo
