#pragma once

#include "core/alerts/alert.h"
#include "core/common/enumnames.h"

#include <QSet>
#include <QString>
#include <QUrl>

namespace boo {

// The receivers we speak to, each with its own payload (docs/alerts.md):
//   json   POST the alert as JSON (Alert::toJson) to any URL
//   ntfy   POST the text to a topic URL, title/priority/tags as headers
//   gotify POST {title, message, priority} to <server>/message, the app token in X-Gotify-Key
//   slack  POST {"text": ...} to an incoming-webhook URL (Slack, Mattermost, Rocket.Chat, ...)
enum class AlertSinkType { Json, Ntfy, Gotify, Slack };
inline constexpr EnumName<AlertSinkType> kAlertSinkTypeNames[] = {
    {AlertSinkType::Json, u"json"},
    {AlertSinkType::Ntfy, u"ntfy"},
    {AlertSinkType::Gotify, u"gotify"},
    {AlertSinkType::Slack, u"slack"},
};

// One receiver of the alerts file. `token` is the secret itself, resolved from `env:NAME` when
// the file was read; it is sent, never logged nor shown (tokenSource says where it came from).
struct AlertSinkConfig
{
    QString name; // shown in /api/alerts and logs; "ntfy-1" when the file names none
    AlertSinkType type = AlertSinkType::Json;
    QUrl url;
    QString token;
    QString tokenSource;     // "env:NAME", "inline" or empty
    QSet<Alert::Kind> kinds; // empty: every kind
    AlertSeverity minSeverity = AlertSeverity::Info;
    qint64 cooldownMs = 300'000; // per dedup key: the same problem again within this is not sent

    bool accepts(const Alert &alert) const;
    // The URL without what may be secret (a Slack webhook's path is its key, a query may hold a
    // token): "https://hooks.slack.com/…".
    QString redactedUrl() const;
};

} // namespace boo
