#include "core/alerts/alertconfig.h"

#include "core/common/jsonreader.h"

#include <QFile>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

constexpr JsonErrorCodes kCodes{"alerts.syntax", "alerts.field", "alerts.value"};

// A typo ("cooldown" for "cooldown_s") must not quietly mean "the default".
void rejectUnknownFields(JsonReader &reader, std::initializer_list<QStringView> known)
{
    for (const QString &key : reader.json().keys()) {
        if (std::find(known.begin(), known.end(), QStringView(key)) == known.end()) {
            QStringList names;
            for (QStringView k : known)
                names << k.toString();
            reader.failValue(key, u"is not a field of this object (known: %1)"_s.arg(names.join(u", "_s)));
            return;
        }
    }
}

// Sets `target` from an optional whole-number field within [min, max], scaled (seconds to ms).
template <typename T>
void readInteger(JsonReader &reader, const QString &key, qint64 min, qint64 max, T &target, qint64 scale = 1)
{
    if (const auto value = reader.integerIn(key, min, max))
        target = T(*value * scale);
}

void readRetry(JsonReader &reader, AlertRetryPolicy &retry)
{
    rejectUnknownFields(reader, {u"attempts", u"first_delay_ms", u"max_delay_ms"});
    readInteger(reader, u"attempts"_s, 1, 20, retry.attempts);
    readInteger(reader, u"first_delay_ms"_s, 1, 3'600'000, retry.firstDelayMs);
    readInteger(reader, u"max_delay_ms"_s, 1, 3'600'000, retry.maxDelayMs);
    if (!reader.failed() && retry.maxDelayMs < retry.firstDelayMs)
        reader.failValue(u"max_delay_ms"_s, u"is smaller than first_delay_ms"_s);
}

void readRules(JsonReader &reader, AlertThresholds &rules)
{
    rejectUnknownFields(reader,
                        {u"vram_percent", u"temperature_c", u"error_rate_percent", u"error_rate_window_s", u"error_rate_min_requests",
                         u"failover_count", u"failover_window_s"});
    auto percent = [&](const QString &key, double &target, double max) {
        if (const auto value = reader.optionalNumber(key)) {
            if (*value <= 0 || *value > max)
                reader.failValue(key, u"is %1, must be above 0 and at most %2"_s.arg(*value).arg(max));
            else
                target = *value;
        }
    };
    percent(u"vram_percent"_s, rules.vramPercent, 100);
    percent(u"temperature_c"_s, rules.temperatureC, 200);
    percent(u"error_rate_percent"_s, rules.errorRatePercent, 100);
    readInteger(reader, u"error_rate_window_s"_s, 10, 86'400, rules.errorRateWindowMs, 1000);
    readInteger(reader, u"error_rate_min_requests"_s, 1, 1'000'000, rules.errorRateMinRequests);
    readInteger(reader, u"failover_count"_s, 1, 1'000'000, rules.failoverCount);
    readInteger(reader, u"failover_window_s"_s, 10, 86'400, rules.failoverWindowMs, 1000);
}

// `text` itself, or with "env:NAME" the value of that environment variable (which must be set).
std::optional<QString> secret(JsonReader &reader, const QString &key, const QString &text, const AlertConfig::Environment &environment)
{
    if (!text.startsWith(u"env:"_s))
        return text;
    const QString variable = text.mid(4);
    const auto value = variable.isEmpty() ? std::nullopt : environment(variable);
    if (!value || value->isEmpty()) {
        reader.failValue(key, u"names the environment variable %1, which is not set"_s.arg(variable));
        return std::nullopt;
    }
    return value;
}

std::optional<AlertSinkConfig> readSink(JsonReader &reader, int number, const AlertConfig::Environment &environment)
{
    rejectUnknownFields(reader, {u"name", u"type", u"url", u"token", u"kinds", u"min_severity", u"cooldown_s"});
    AlertSinkConfig sink;
    sink.type = reader.enumValue(u"type"_s, kAlertSinkTypeNames, JsonReader::Required).value_or(AlertSinkType::Json);
    sink.name = reader.nullableString(u"name"_s).value_or(enumNameString(kAlertSinkTypeNames, sink.type) + u'-' + QString::number(number));
    // A Slack webhook's URL is its secret, so the URL may come from the environment like a token.
    const QString urlText = reader.string(u"url"_s, JsonReader::Required);
    if (reader.failed())
        return std::nullopt;
    const auto url = secret(reader, u"url"_s, urlText, environment);
    if (!url)
        return std::nullopt;
    sink.url = QUrl(*url, QUrl::StrictMode);
    if (!sink.url.isValid() || (sink.url.scheme() != u"http"_s && sink.url.scheme() != u"https"_s) || sink.url.host().isEmpty()) {
        // The URL itself may be the secret (Slack): not repeated in the message.
        reader.failValue(u"url"_s, u"is not an http:// or https:// URL with a host"_s);
        return std::nullopt;
    }
    if (const auto token = reader.nullableString(u"token"_s)) {
        const auto value = secret(reader, u"token"_s, *token, environment);
        if (!value)
            return std::nullopt;
        sink.token = *value;
        if (!sink.token.isEmpty())
            sink.tokenSource = token->startsWith(u"env:"_s) ? *token : u"inline"_s;
    }
    if (sink.type == AlertSinkType::Gotify && sink.token.isEmpty())
        reader.fail(u"token"_s, u"is missing: Gotify needs an application token (or \"env:NAME\")"_s);
    const QStringList kinds = reader.stringList(u"kinds"_s);
    for (const QString &name : kinds) {
        const auto kind = enumFromName(kAlertKindNames, name);
        if (!kind) {
            reader.failValue(u"kinds"_s, u"has \"%1\", must be among %2"_s.arg(name.left(64), enumChoices(kAlertKindNames)));
            return std::nullopt;
        }
        sink.kinds.insert(*kind);
    }
    sink.minSeverity = reader.enumValue(u"min_severity"_s, kAlertSeverityNames).value_or(AlertSeverity::Info);
    readInteger(reader, u"cooldown_s"_s, 0, 7 * 86'400, sink.cooldownMs, 1000);
    if (reader.failed())
        return std::nullopt;
    return sink;
}

} // namespace

AlertConfig::Environment AlertConfig::processEnvironment()
{
    return [](const QString &name) -> std::optional<QString> {
        if (!qEnvironmentVariableIsSet(name.toLocal8Bit().constData()))
            return std::nullopt;
        return qEnvironmentVariable(name.toLocal8Bit().constData());
    };
}

Result<AlertConfig> AlertConfig::load(const QString &path, const Environment &environment)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(u"alerts.file"_s, u"%1: cannot read the alerts file: %2"_s.arg(path, file.errorString()));
    return parse(file.readAll(), path, environment);
}

Result<AlertConfig> AlertConfig::parse(const QByteArray &json, const QString &origin, const Environment &environment)
{
    auto object = JsonReader::parseObject(json, origin, kCodes);
    if (!object)
        return object.error();
    JsonReader top(*object, origin, kCodes);
    rejectUnknownFields(top, {u"sinks", u"retry", u"timeout_ms", u"rules"});
    AlertConfig config;
    readInteger(top, u"timeout_ms"_s, 100, 600'000, config.retry.timeoutMs);
    if (const auto retry = top.nullableObject(u"retry"_s)) {
        JsonReader reader = top.child(u"retry"_s, *retry);
        readRetry(reader, config.retry);
        if (reader.failed())
            return reader.error();
    }
    if (const auto rules = top.nullableObject(u"rules"_s)) {
        JsonReader reader = top.child(u"rules"_s, *rules);
        readRules(reader, config.rules);
        if (reader.failed())
            return reader.error();
    }
    const QList<QJsonObject> sinks = top.objectList(u"sinks"_s, JsonReader::Required);
    if (top.failed())
        return top.error();
    QSet<QString> names;
    for (qsizetype i = 0; i < sinks.size(); ++i) {
        const int number = int(i) + 1;
        const QString label
            = sinks.at(i).value(u"name"_s).isString() ? u" (\"%1\")"_s.arg(sinks.at(i).value(u"name"_s).toString().left(64)) : QString();
        JsonReader reader(sinks.at(i), u"%1: sink %2%3"_s.arg(origin).arg(number).arg(label), kCodes);
        auto sink = readSink(reader, number, environment);
        if (!sink)
            return reader.error();
        if (names.contains(sink->name))
            return makeError(u"alerts.value"_s,
                             u"%1: sink %2: field \"name\" \"%3\" is used by an earlier sink"_s.arg(origin).arg(number).arg(sink->name));
        names.insert(sink->name);
        config.sinks << *sink;
    }
    return config;
}

} // namespace boo
