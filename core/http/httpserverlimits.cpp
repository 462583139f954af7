#include "core/http/httpserverlimits.h"

#include <array>
#include <type_traits>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// One table for the names, the fields they set and the bounds: the command line, --help and the
// tests read the same rows.
struct Row
{
    const char16_t *name;
    const char16_t *description;
    qint64 min;
    qint64 max;
    qint64 (*get)(const HttpServerLimits &);
    void (*set)(HttpServerLimits &, qint64);
};

constexpr qint64 kGiB = 1024LL * 1024 * 1024;
constexpr qint64 kDay = 24LL * 3600 * 1000;

template <auto Member>
qint64 getField(const HttpServerLimits &limits)
{
    return qint64(limits.*Member);
}

template <auto Member>
void setField(HttpServerLimits &limits, qint64 value)
{
    using T = std::remove_reference_t<decltype(limits.*Member)>;
    limits.*Member = T(value);
}

const std::array kRows{
    Row{u"head-bytes", u"bytes of a request head (431 beyond)", 1024, 1024 * 1024, getField<&HttpServerLimits::maxHeadBytes>,
        setField<&HttpServerLimits::maxHeadBytes>},
    Row{u"header-fields", u"header fields of a request (431 beyond)", 8, 10000, getField<&HttpServerLimits::maxHeaderFields>,
        setField<&HttpServerLimits::maxHeaderFields>},
    Row{u"body-bytes", u"request body of a route without its own limit (413 beyond)", 0, 4 * kGiB,
        getField<&HttpServerLimits::maxBodyBytes>, setField<&HttpServerLimits::maxBodyBytes>},
    Row{u"unrouted-body-bytes", u"request body on a path no route takes", 0, 4 * kGiB, getField<&HttpServerLimits::unroutedBodyBytes>,
        setField<&HttpServerLimits::unroutedBodyBytes>},
    Row{u"header-timeout-ms", u"from a request's first byte to the end of its head (408)", 100, kDay,
        getField<&HttpServerLimits::headerTimeoutMs>, setField<&HttpServerLimits::headerTimeoutMs>},
    Row{u"body-idle-timeout-ms", u"longest pause inside a request body (408)", 100, kDay, getField<&HttpServerLimits::bodyIdleTimeoutMs>,
        setField<&HttpServerLimits::bodyIdleTimeoutMs>},
    Row{u"body-timeout-ms", u"a whole request body (408)", 100, kDay, getField<&HttpServerLimits::bodyTimeoutMs>,
        setField<&HttpServerLimits::bodyTimeoutMs>},
    Row{u"idle-timeout-ms", u"keep-alive connection without a request", 100, kDay, getField<&HttpServerLimits::idleTimeoutMs>,
        setField<&HttpServerLimits::idleTimeoutMs>},
    Row{u"max-connections", u"open connections in all (WebSockets included)", 1, 1000000, getField<&HttpServerLimits::maxConnections>,
        setField<&HttpServerLimits::maxConnections>},
    Row{u"max-connections-per-peer", u"open connections from one address", 1, 1000000, getField<&HttpServerLimits::maxConnectionsPerPeer>,
        setField<&HttpServerLimits::maxConnectionsPerPeer>},
    Row{u"listen-backlog", u"connections the kernel queues before accept", 1, 65535, getField<&HttpServerLimits::listenBacklog>,
        setField<&HttpServerLimits::listenBacklog>},
    Row{u"max-requests-per-connection", u"requests on one keep-alive connection", 1, 1000000,
        getField<&HttpServerLimits::maxRequestsPerConnection>, setField<&HttpServerLimits::maxRequestsPerConnection>},
    Row{u"max-pending-output-bytes", u"unsent answers before pipelined requests wait", 4096, kGiB,
        getField<&HttpServerLimits::maxPendingOutputBytes>, setField<&HttpServerLimits::maxPendingOutputBytes>},
    Row{u"ws-max-message-bytes", u"a message from a WebSocket client (close 1009 beyond)", 125, 64 * 1024 * 1024,
        getField<&HttpServerLimits::webSocketMaxMessageBytes>, setField<&HttpServerLimits::webSocketMaxMessageBytes>},
};

const Row *findRow(QStringView name)
{
    for (const Row &row : kRows) {
        if (name == QStringView(row.name))
            return &row;
    }
    return nullptr;
}

} // namespace

QList<HttpServerLimits::Field> HttpServerLimits::fields()
{
    const HttpServerLimits defaults;
    QList<Field> out;
    for (const Row &row : kRows)
        out.append({QString::fromUtf16(row.name), QString::fromUtf16(row.description), row.get(defaults), row.min, row.max});
    return out;
}

qint64 HttpServerLimits::value(const QString &name) const
{
    const Row *row = findRow(name);
    return row ? row->get(*this) : -1;
}

Result<void> HttpServerLimits::apply(const QString &assignment)
{
    const qsizetype eq = assignment.indexOf(u'=');
    const QString name = assignment.left(eq).trimmed();
    const Row *row = eq > 0 ? findRow(name) : nullptr;
    if (!row) {
        QStringList names;
        for (const Row &r : kRows)
            names << QString::fromUtf16(r.name);
        return makeError(u"limits.name"_s, u"'%1': expected NAME=VALUE with NAME one of %2"_s.arg(assignment, names.join(u", "_s)));
    }
    bool ok = false;
    const qint64 v = assignment.mid(eq + 1).trimmed().toLongLong(&ok);
    if (!ok || v < row->min || v > row->max)
        return makeError(u"limits.value"_s,
                         u"'%1': %2 must be a whole number from %3 to %4"_s.arg(assignment, name).arg(row->min).arg(row->max));
    row->set(*this, v);
    return {};
}

} // namespace boo
