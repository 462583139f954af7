#include "core/ingest/activitysync.h"

#include "core/common/rfc3339formatter.h"

#include <QNetworkAccessManager>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

constexpr int kMaxPage = 999;        // llama-swap's largest page
constexpr int kIncrementalPage = 50; // newest-first pages between reconnects (v236-v250)
constexpr int kRetryMs = 1000;       // a failed fetch while the stream stays up

QString describeTs(qint64 ms)
{
    return Rfc3339Formatter::utcMs(ms, Rfc3339Formatter::Fraction::None);
}

} // namespace

ActivitySync::ActivitySync(QString hostId, QNetworkAccessManager *nam, const HostEndpoint *endpoint, QObject *parent)
    : QObject(parent)
    , m_hostId(std::move(hostId))
    , m_nam(nam)
    , m_endpoint(endpoint)
{
    m_coalesce.setSingleShot(true);
    m_coalesce.setInterval(25);
    connect(&m_coalesce, &QTimer::timeout, this, &ActivitySync::startRound);
}

// ------------------------------------------------------------------------------------ triggers

void ActivitySync::reconcile()
{
    m_reconcilePending = true;
    startRound();
}

void ActivitySync::announce(qint64 id)
{
    m_announced = std::max(m_announced, id);
    if (m_generation == ProtocolGeneration::Legacy235)
        return; // such hosts push their rows themselves
    if (m_busy)
        m_again = true;
    else if (!m_coalesce.isActive())
        m_coalesce.start(); // one fetch for a burst of events
}

void ActivitySync::catchUp()
{
    if (m_generation == ProtocolGeneration::Legacy235)
        m_reconcilePending = true; // such hosts have no incremental query: read the ring
    startRound();
}

void ActivitySync::ingestPushed(const QList<ActivityEntry> &rows)
{
    if (rows.isEmpty())
        return;
    for (const ActivityEntry &row : rows)
        m_announced = std::max(m_announced, row.id);
    if (m_busy) {
        m_reconcilePending = true; // the round in flight is stale: read the whole ring again
        m_again = true;
        return;
    }
    const bool nextInLine = rows.size() == 1 && m_anchor.known() && rows.first().id == m_anchor.id + 1;
    if (nextInLine) {
        deliver(rows, m_anchor.id + 1, false);
    } else if (rows.size() == 1 && m_anchor.known()) {
        reconcile(); // a push went missing (the stream is lossy) or the host restarted: read the ring
    } else {
        m_busy = true;
        applyWholeRing(rows); // the first message after connecting carries the whole ring
    }
}

void ActivitySync::streamLost()
{
    m_coalesce.stop();
}

// ------------------------------------------------------------------------------------- rounds

void ActivitySync::startRound()
{
    if (m_busy) {
        m_again = true;
        return;
    }
    m_coalesce.stop();
    m_busy = true;
    m_again = false;
    m_mode = std::exchange(m_reconcilePending, false) ? Mode::Reconcile : Mode::Incremental;
    switch (m_generation) {
    case ProtocolGeneration::Legacy235: fetchLegacy(); break;
    case ProtocolGeneration::Paged236to250: scanPages(1, {}); break;
    case ProtocolGeneration::Current:
        if (m_mode == Mode::Reconcile && m_anchor.known())
            checkAnchorById();
        else
            fetchById(m_anchor.known() ? m_anchor.id + 1 : 1, m_anchor.known() || m_runStartExpected);
        break;
    }
}

void ActivitySync::finishRound()
{
    m_busy = false;
    if (m_again || m_reconcilePending)
        startRound();
    else
        Q_EMIT idle();
}

void ActivitySync::failRound(const Error &error)
{
    m_busy = false;
    m_again = false;
    m_reconcilePending = true; // whatever was missed is fetched by the next round
    Q_EMIT fetchFailed(error);
    m_coalesce.start(kRetryMs);
}

void ActivitySync::get(const QUrlQuery &query, std::function<void(ActivityPage)> next)
{
    m_endpoint->send(m_nam, "GET", u"/api/metrics/activity"_s, query, m_timeoutMs, this,
                     [this, next = std::move(next)](Result<HostResponse> response) {
                         if (!response)
                             return failRound(response.error());
                         if (response->status == 404) {
                             // The endpoint is gone: a host older than v236 (or downgraded).
                             m_generation = ProtocolGeneration::Legacy235;
                             Q_EMIT generationCorrected(m_generation);
                             m_busy = false;
                             return reconcile();
                         }
                         if (response->status != 200) {
                             return failRound(makeError(u"net.status"_s,
                                                        u"GET /api/metrics/activity on %1: HTTP %2"_s.arg(m_hostId).arg(response->status)));
                         }
                         auto page = ActivityPage::fromJson(response->body);
                         if (!page)
                             return failRound(page.error());
                         next(std::move(page).value());
                     });
}

// ------------------------------------------------------------------- current hosts: id ranges

void ActivitySync::checkAnchorById()
{
    const qint64 a = m_anchor.id;
    QUrlQuery query{{u"min_id"_s, QString::number(a)}, {u"max_id"_s, QString::number(a)}, {u"limit"_s, u"1"_s}};
    get(query, [this, a](ActivityPage page) {
        if (!page.data.isEmpty() && page.data.first().id != a) {
            // The host ignored the id filter: it is a v236-v250 release after all.
            m_generation = ProtocolGeneration::Paged236to250;
            Q_EMIT generationCorrected(m_generation);
            return scanPages(1, {});
        }
        if (!page.data.isEmpty()) {
            const ActivityEntry &row = page.data.first();
            if (row.timestampMs == m_anchor.ts)
                return fetchById(a + 1, true);
            restart(u"activity id %1 now belongs to a request that finished at %2, not %3"_s.arg(a).arg(describeTs(row.timestampMs),
                                                                                                        describeTs(m_anchor.ts)));
            return fetchById(1, true);
        }
        QUrlQuery newest{{u"limit"_s, u"1"_s}, {u"sort"_s, u"id"_s}, {u"order"_s, u"desc"_s}};
        get(newest, [this, a](ActivityPage newestPage) {
            const qint64 newestId = newestPage.data.isEmpty() ? 0 : newestPage.data.first().id;
            if (newestId < a) {
                restart(u"the host's newest activity id is %1, below the %2 we already hold"_s.arg(newestId).arg(a));
                return fetchById(1, true);
            }
            fetchById(a + 1, true); // the anchor left the host's buffer: the gap check tells
        });
    });
}

void ActivitySync::fetchById(qint64 fromId, bool contiguous)
{
    QUrlQuery query{
        {u"min_id"_s, QString::number(fromId)}, {u"sort"_s, u"id"_s}, {u"order"_s, u"asc"_s}, {u"limit"_s, QString::number(kMaxPage)}};
    get(query, [this, fromId, contiguous](ActivityPage page) {
        const bool filterIgnored
            = std::any_of(page.data.cbegin(), page.data.cend(), [fromId](const ActivityEntry &e) { return e.id < fromId; });
        if (filterIgnored) {
            m_generation = ProtocolGeneration::Paged236to250;
            Q_EMIT generationCorrected(m_generation);
            return scanPages(1, {});
        }
        const bool full = page.data.size() >= kMaxPage;
        deliver(page.data, fromId, contiguous);
        if (full)
            return fetchById(m_anchor.id + 1, false);
        finishRound();
    });
}

// ------------------------------------------------------------- v236-v250: newest-first pages

void ActivitySync::scanPages(int pageNumber, QList<ActivityEntry> collected)
{
    const int limit = m_mode == Mode::Reconcile || !m_anchor.known() ? kMaxPage : kIncrementalPage;
    QUrlQuery query{
        {u"limit"_s, QString::number(limit)}, {u"page"_s, QString::number(pageNumber)}, {u"sort"_s, u"id"_s}, {u"order"_s, u"desc"_s}};
    get(query, [this, pageNumber, limit, collected = std::move(collected)](ActivityPage page) mutable {
        if (pageNumber == 1) {
            if (m_lastTotal >= 0 && page.total < m_lastTotal && m_anchor.known() && !page.data.isEmpty()
                && page.data.first().id < m_anchor.id) {
                restart(u"the host holds %1 rows, fewer than the %2 it held, and its newest id %3 is below %4"_s.arg(page.total)
                            .arg(m_lastTotal)
                            .arg(page.data.first().id)
                            .arg(m_anchor.id));
            }
            m_lastTotal = page.total;
        }
        for (const ActivityEntry &row : std::as_const(page.data)) {
            if (m_anchor.known() && row.id <= m_anchor.id) {
                if (row.id == m_anchor.id && row.timestampMs != m_anchor.ts) {
                    restart(u"activity id %1 now belongs to a request that finished at %2, not %3"_s.arg(row.id).arg(
                        describeTs(row.timestampMs), describeTs(m_anchor.ts)));
                    m_busy = false;
                    m_reconcilePending = true;
                    return startRound(); // everything on the host is the new run: read it all
                }
                if (collected.isEmpty() && row.id < m_anchor.id && pageNumber == 1) {
                    restart(u"the host's newest activity id is %1, below the %2 we already hold"_s.arg(row.id).arg(m_anchor.id));
                    m_busy = false;
                    m_reconcilePending = true;
                    return startRound();
                }
                return finishScan(collected, false);
            }
            collected << row;
        }
        const bool exhausted = page.data.size() < limit || pageNumber >= page.totalPages;
        if (exhausted)
            return finishScan(collected, true);
        scanPages(pageNumber + 1, std::move(collected));
    });
}

void ActivitySync::finishScan(QList<ActivityEntry> newestFirst, bool exhausted)
{
    std::reverse(newestFirst.begin(), newestFirst.end());
    if (m_anchor.known() && exhausted && newestFirst.isEmpty()) {
        // We hold rows and the host holds none at all: it restarted and has served nothing yet.
        restart(u"the host holds no activity rows, while we hold up to id %1"_s.arg(m_anchor.id));
        return finishRound();
    }
    const qint64 expectedFirst = m_anchor.known() ? m_anchor.id + 1 : 1;
    deliver(newestFirst, expectedFirst, m_anchor.known() || m_runStartExpected);
    finishRound();
}

// ------------------------------------------------------------------- <= v235: the whole ring

void ActivitySync::fetchLegacy()
{
    m_endpoint->send(m_nam, "GET", u"/api/metrics"_s, {}, m_timeoutMs, this, [this](Result<HostResponse> response) {
        if (!response)
            return failRound(response.error());
        if (response->status != 200)
            return failRound(makeError(u"net.status"_s, u"GET /api/metrics on %1: HTTP %2"_s.arg(m_hostId).arg(response->status)));
        auto rows = ActivityEntry::listFromLegacyMetricsJson(response->body);
        if (!rows)
            return failRound(rows.error());
        applyWholeRing(std::move(rows).value());
    });
}

void ActivitySync::applyWholeRing(QList<ActivityEntry> rows)
{
    std::sort(rows.begin(), rows.end(), [](const ActivityEntry &a, const ActivityEntry &b) { return a.id < b.id; });
    // Legacy ids start at 0.
    if (!m_anchor.known()) {
        deliver(rows, 0, m_runStartExpected);
        return finishRound();
    }
    const qint64 a = m_anchor.id;
    const auto it = std::find_if(rows.cbegin(), rows.cend(), [a](const ActivityEntry &e) { return e.id == a; });
    const qint64 newestId = rows.isEmpty() ? -1 : rows.constLast().id;
    QString restartReason;
    if (it != rows.cend() && it->timestampMs != m_anchor.ts)
        restartReason = u"activity id %1 now belongs to a request that finished at %2, not %3"_s.arg(a).arg(describeTs(it->timestampMs),
                                                                                                            describeTs(m_anchor.ts));
    else if (it == rows.cend() && newestId < a)
        restartReason = u"the host's newest activity id is %1, below the %2 we already hold"_s.arg(newestId).arg(a);

    if (!restartReason.isEmpty()) {
        restart(restartReason);
        deliver(rows, 0, true);
    } else {
        rows.removeIf([a](const ActivityEntry &e) { return e.id <= a; });
        deliver(rows, a + 1, true);
    }
    finishRound();
}

// ----------------------------------------------------------------------------------- results

void ActivitySync::restart(const QString &reason)
{
    Q_EMIT restartDetected(reason);
    if (m_announced > m_anchor.id) {
        Q_EMIT gapSuspected(
            u"the host restarted before activity ids %1-%2 of its previous run were fetched"_s.arg(m_anchor.id + 1).arg(m_announced));
    }
    m_anchor = {};
    m_announced = 0;
    m_lastTotal = -1;
    m_runStartExpected = true;
}

void ActivitySync::deliver(QList<ActivityEntry> ascending, qint64 expectedFirstId, bool checkContiguous)
{
    if (ascending.isEmpty())
        return;
    if (checkContiguous && ascending.constFirst().id > expectedFirstId) {
        Q_EMIT gapSuspected(u"activity ids %1-%2 are no longer on the host"_s.arg(expectedFirstId).arg(ascending.constFirst().id - 1));
    }
    m_anchor = {ascending.constLast().id, ascending.constLast().timestampMs};
    m_runStartExpected = false;
    Q_EMIT rowsFetched(ascending);
}

} // namespace boo
