#include "core/alerts/alertrequest.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

const QByteArray kJson = "application/json"_ba;

QByteArray userAgent()
{
    return "BooControl/" BOO_VERSION_STRING;
}

// An emoji shortcode per alert: ntfy shows a tag that names one as the emoji, Slack's mrkdwn
// does the same with :name:.
QByteArray emoji(const Alert &alert)
{
    if (alert.kind == Alert::Kind::HostBack)
        return "white_check_mark";
    if (alert.kind == Alert::Kind::Test)
        return "bell";
    switch (alert.severity()) {
    case AlertSeverity::Info: return "information_source";
    case AlertSeverity::Warning: return "warning";
    case AlertSeverity::Critical: return "rotating_light";
    }
    return "warning";
}

// Slack's mrkdwn reads &, < and > as markup (links, mentions): a host name must not become one.
QString slackEscaped(QString text)
{
    return text.replace(u'&', u"&amp;"_s).replace(u'<', u"&lt;"_s).replace(u'>', u"&gt;"_s);
}

// Gotify's API is POST <server>/message; people paste either the server or the endpoint.
QUrl gotifyMessageUrl(QUrl url)
{
    QString path = url.path();
    if (!path.endsWith(u"/message"_s)) {
        if (!path.endsWith(u'/'))
            path += u'/';
        url.setPath(path + u"message"_s);
    }
    return url;
}

} // namespace

QByteArray AlertRequest::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

int AlertRequest::ntfyPriority(AlertSeverity severity)
{
    switch (severity) {
    case AlertSeverity::Info: return 3; // ntfy's default
    case AlertSeverity::Warning: return 4;
    case AlertSeverity::Critical: return 5;
    }
    return 3;
}

int AlertRequest::gotifyPriority(AlertSeverity severity)
{
    // Gotify's Android client: 0 silent, 1-3 quiet, 4-7 sound, 8-10 also pops up.
    switch (severity) {
    case AlertSeverity::Info: return 2;
    case AlertSeverity::Warning: return 5;
    case AlertSeverity::Critical: return 8;
    }
    return 5;
}

AlertRequest AlertRequest::build(const AlertSinkConfig &sink, const Alert &alert, const QString &alertId)
{
    AlertRequest r;
    r.url = sink.url;
    r.headers.append({"User-Agent"_ba, userAgent()});
    const QByteArray bearer = sink.token.isEmpty() ? QByteArray() : "Bearer " + sink.token.toUtf8();
    switch (sink.type) {
    case AlertSinkType::Json: {
        QJsonObject body = alert.toJson();
        body.insert(u"id"_s, alertId);
        body.insert(u"source"_s, u"boocontrol"_s);
        r.headers.append({"Content-Type"_ba, kJson});
        r.headers.append({"X-Boo-Alert-Id"_ba, alertId.toUtf8()});
        if (!bearer.isEmpty())
            r.headers.append({"Authorization"_ba, bearer});
        r.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
        break;
    }
    case AlertSinkType::Ntfy:
        // Titles are ASCII (Alert::title); the message, with host names, goes in the UTF-8 body.
        r.headers.append({"Content-Type"_ba, "text/plain; charset=utf-8"_ba});
        r.headers.append({"Title"_ba, alert.title().toLatin1()});
        r.headers.append({"Priority"_ba, QByteArray::number(ntfyPriority(alert.severity()))});
        r.headers.append({"Tags"_ba, emoji(alert) + ',' + enumNameString(kAlertKindNames, alert.kind).toLatin1()});
        if (!bearer.isEmpty())
            r.headers.append({"Authorization"_ba, bearer});
        r.body = alert.describe().toUtf8();
        break;
    case AlertSinkType::Gotify:
        // The token as a header, not ?token=: query strings end up in proxies' access logs.
        r.url = gotifyMessageUrl(sink.url);
        r.headers.append({"Content-Type"_ba, kJson});
        r.headers.append({"X-Gotify-Key"_ba, sink.token.toUtf8()});
        r.body = QJsonDocument(QJsonObject{{u"title"_s, alert.title()},
                                           {u"message"_s, alert.describe()},
                                           {u"priority"_s, gotifyPriority(alert.severity())},
                                           {u"extras"_s, QJsonObject{{u"boocontrol"_s, alert.toJson()}}}})
                     .toJson(QJsonDocument::Compact);
        break;
    case AlertSinkType::Slack: {
        const QString text
            = u":%1: *%2*: %3"_s.arg(QString::fromLatin1(emoji(alert)), slackEscaped(alert.title()), slackEscaped(alert.describe()));
        r.headers.append({"Content-Type"_ba, kJson});
        if (!bearer.isEmpty())
            r.headers.append({"Authorization"_ba, bearer});
        r.body = QJsonDocument(QJsonObject{{u"text"_s, text}}).toJson(QJsonDocument::Compact);
        break;
    }
    }
    return r;
}

} // namespace boo
