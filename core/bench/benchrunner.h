#pragma once

#include "core/bench/benchendpoint.h"
#include "core/bench/benchrun.h"
#include "core/bench/benchsuite.h"
#include "core/http/hostendpoint.h"

#include <QMap>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>

#include <deque>
#include <functional>
#include <optional>

namespace boo {

class BenchLoad;
struct BenchLoadPlan;
class HostActivityProbe;

// How the runner reaches one suite target, and the host behind it when known (for the
// foreign-traffic count, the cold start and the host's version and GPUs).
struct BenchTargetRoute
{
    BenchEndpoint endpoint;
    std::optional<HostEndpoint> host;
};

// Runs a whole suite, one cell after the other (cells never overlap: a cell measures one load,
// not the sum of two), and reports progress as it goes:
//   for every target: the cold start (suite.coldStart and a known host), then for every prompt
//   size and every load: the warmup requests (not measured), then each repetition; around the
//   cell the host's activity rows are read, and requests the bench did not send are counted as
//   foreign. A polluted cell is run again up to suite.rerunPolluted times, then kept and flagged.
class BenchRunner final : public QObject
{
    Q_OBJECT

public:
    BenchRunner(BenchSuite suite, QMap<QString, BenchTargetRoute> routes, QObject *parent = nullptr);
    ~BenchRunner() override;
    Q_DISABLE_COPY_MOVE(BenchRunner)

    // Every suite target must have a route.
    void start();
    // Stops at once: the requests in flight are dropped, no further step runs, finished() is
    // emitted (once) with the cells kept so far.
    void cancel();
    bool cancelled() const { return m_cancelled; }
    const BenchRunResult &result() const { return m_result; }
    // Requests the suite sends without reruns: the denominator of progress().
    int plannedRequests() const;

Q_SIGNALS:
    void progress(int endedRequests, int plannedRequests, const QString &cell);
    void cellFinished(const boo::BenchCell &cell);
    void finished();

private:
    struct CellPlan
    {
        BenchTarget target;
        int loadIndex = 0;
        int promptTokens = 0;
    };
    struct CellState
    {
        CellPlan plan;
        QList<QList<BenchSample>> repetitions;
        QList<double> seconds;
        QList<BenchSample> unmeasured; // warmup: not in the figures, but the host saw them
        std::optional<qint64> markId;  // the host's newest activity id before the cell
        QString probeError;
        int reruns = 0;
        int ownRequests() const;
    };

    void next();
    void fetchHostInfo(const QString &providerId, const HostEndpoint &host);
    void coldStart(const BenchTarget &target);
    void startCell(const CellPlan &plan, int reruns);
    void runLoad(int repetition);
    void endCell();
    void countForeign(int attempt);
    void keepCell(std::optional<int> foreign);
    BenchLoadPlan loadPlan(int repetition, int requests) const;
    HostActivityProbe *probeFor(const QString &providerId);
    void requestEnded();

    BenchSuite m_suite;
    QMap<QString, BenchTargetRoute> m_routes;
    QNetworkAccessManager m_nam;
    QMap<QString, HostActivityProbe *> m_probes;
    std::deque<std::function<void()>> m_steps;
    BenchRunResult m_result;
    CellState m_cell;
    QPointer<BenchLoad> m_load;
    int m_nextPromptIndex = 0;
    int m_endedRequests = 0;
    QString m_progressLabel;
    bool m_cancelled = false;
    bool m_finished = false;
};

} // namespace boo
