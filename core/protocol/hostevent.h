#pragma once

#include "core/common/enumnames.h"
#include "core/protocol/activityentry.h"
#include "core/protocol/inflightupdate.h"
#include "core/protocol/modelstatus.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <variant>

namespace boo {

// The messages of llama-swap's `GET /api/events` stream, one small value type per `type`.
// (The payload types with real decoding logic live in their own files; these are thin.)

// `modelStatus`: the full list of local and peer models with their states.
struct ModelStatusEvent
{
    QList<ModelStatus> models;
    friend bool operator==(const ModelStatusEvent &, const ModelStatusEvent &) = default;
};

// `logData`: an arbitrary chunk of log text (partial lines possible; see LogLineSplitter).
struct LogDataEvent
{
    enum class Source { Proxy, Upstream, Other };
    // Other has no name: any other text (sourceText keeps it).
    static constexpr EnumName<Source> kSourceNames[] = {{Source::Proxy, u"proxy"}, {Source::Upstream, u"upstream"}};
    Source source = Source::Other;
    QString sourceText;
    QString text;
    friend bool operator==(const LogDataEvent &, const LogDataEvent &) = default;
};

// `uiConfig`: header names whose first non-empty value is an in-flight row's session id.
struct UiConfigEvent
{
    QStringList sessionIdHeaders;
    // v251+ config `globalConcurrencyLimit` (all models together; 429 beyond it), when the host
    // publishes it here (docs/protocol.md "v251-v260").
    std::optional<qint64> globalConcurrencyLimit;
    friend bool operator==(const UiConfigEvent &, const UiConfigEvent &) = default;
};

// `profileChanged`: the active profile, empty optional when none is active.
struct ProfileChangedEvent
{
    std::optional<QString> active;
    friend bool operator==(const ProfileChangedEvent &, const ProfileChangedEvent &) = default;
};

// `inflight`: see InFlightUpdate for the three historical shapes.
struct InFlightEvent
{
    InFlightUpdate update;
    friend bool operator==(const InFlightEvent &, const InFlightEvent &) = default;
};

// `activity` (v236+): a row was stored; fetch it by id.
struct ActivityEvent
{
    qint64 id = 0;
    friend bool operator==(const ActivityEvent &, const ActivityEvent &) = default;
};

// `metrics` (<= v235): the rows themselves (all of them on connect, then one per message).
struct MetricsEvent
{
    QList<ActivityEntry> entries;
    friend bool operator==(const MetricsEvent &, const MetricsEvent &) = default;
};

// A message type this build does not know (e.g. `perfsys` that the web UI lists but the server
// never sends, or anything newer). Not an error: the caller ignores it.
struct UnknownEvent
{
    QString type;
    friend bool operator==(const UnknownEvent &, const UnknownEvent &) = default;
};

using HostEvent = std::variant<ModelStatusEvent, LogDataEvent, UiConfigEvent, ProfileChangedEvent, InFlightEvent, ActivityEvent,
                               MetricsEvent, UnknownEvent>;

} // namespace boo
