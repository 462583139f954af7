#include "core/ingest/eventsequencecheck.h"

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

QString idRange(qint64 first, qint64 last)
{
    return first == last ? QString::number(first) : u"%1-%2"_s.arg(first).arg(last);
}

} // namespace

void EventSequenceCheck::reset()
{
    m_lastAnnounced = -1;
    m_maxInFlightId = 0;
}

std::optional<QString> EventSequenceCheck::activityAnnounced(qint64 id)
{
    const qint64 last = std::exchange(m_lastAnnounced, std::max(m_lastAnnounced, id));
    if (last >= 0 && id > last + 1)
        return u"activity ids %1 were never announced (announced %2, then %3)"_s.arg(idRange(last + 1, id - 1)).arg(last).arg(id);
    return std::nullopt;
}

std::optional<QString> EventSequenceCheck::inFlight(const InFlightUpdate &update)
{
    switch (update.operation) {
    case InFlightUpdate::Operation::Snapshot:
    case InFlightUpdate::Operation::Count:
        // The whole list (or count) restates the truth; ids seen before it prove nothing after it.
        m_maxInFlightId = 0;
        return std::nullopt;
    case InFlightUpdate::Operation::Upsert: {
        bool ok = false;
        const qint64 id = update.request ? update.request->id.toLongLong(&ok) : 0;
        if (!ok || id <= 0)
            return std::nullopt;
        const qint64 max = std::exchange(m_maxInFlightId, std::max(m_maxInFlightId, id));
        if (max > 0 && id > max + 1)
            return u"in-flight requests %1 were never announced (seen up to %2, then %3)"_s.arg(idRange(max + 1, id - 1)).arg(max).arg(id);
        return std::nullopt;
    }
    case InFlightUpdate::Operation::Remove: {
        bool ok = false;
        const qint64 id = update.removedId.toLongLong(&ok);
        if (ok && m_maxInFlightId > 0 && id > m_maxInFlightId) {
            const qint64 max = std::exchange(m_maxInFlightId, id);
            return u"in-flight request %1 ended without having been announced (seen up to %2)"_s.arg(id).arg(max);
        }
        return std::nullopt;
    }
    }
    return std::nullopt;
}

} // namespace boo
