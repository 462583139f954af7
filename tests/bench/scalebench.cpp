// boo-bench scale — a fleet of many hosts on one ingest (issue "Fleet scale: 500 hosts"):
//   1. resident memory per connected host once its log tails and request ring are full:
//      <= 1 MB per host, and 500 hosts < 600 MB in all;
//   2. CPU of an idle fleet (every host connected, no traffic): < 2 % of one core.
// Each fleet size is measured in a fresh child process (`boo-bench scale --measure N`): the
// heap's high-water mark of an earlier, bigger run would otherwise stay in the figure. The
// hosts run in separate boo-simfleet processes (--hosts-per-sim each), so only the ingest is
// measured. `--measure N` alone is what to run under heaptrack or perf.

#include "tests/bench/benchmarks.h"
#include "tests/bench/benchsupport.h"

#include "core/fleet/fleetstate.h"
#include "core/store/historywriter.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QProcess>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>
#include <QTimer>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

#ifdef Q_OS_LINUX
#include <malloc.h>
#include <sys/resource.h>
#endif

using namespace Qt::StringLiterals;

namespace boo::bench {

namespace {

struct Options
{
    QList<int> hostCounts{50, 500};
    int measure = 0;       // > 0: the child that measures this many hosts
    int hostsPerSim = 125; // hosts per boo-simfleet process
    int requestsPerHost = 1500;
    int idleSeconds = 20;
    // Ends the child right after the memory is measured, without freeing anything: under
    // heaptrack, "leaked" then lists what the ingest held at that moment, by call site.
    bool exitWhenFull = false;
};

void say(const QString &text)
{
    std::fprintf(stderr, "%s\n", qPrintable(text));
}

// CPU seconds (user + system) this process has used.
double cpuSeconds()
{
#ifdef Q_OS_LINUX
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
#else
    return 0;
#endif
}

// Lets the event loop run for `ms` without a polling timer of our own (waitFor's 5 ms check
// would be most of an idle process's CPU).
void idleFor(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

struct Measured
{
    int hosts = 0;
    qint64 baselineBytes = 0; // before the first host connects
    qint64 fullBytes = 0;     // log tails and rings full
    qint64 trimmedBytes = 0;  // the same after malloc_trim: the live heap, without freed pages kept
    double connectSeconds = 0;
    double idleCpuPercent = 0;
    qint64 logLines = 0;
    qint64 recent = 0;
    qint64 rows = 0;
};

QString encode(const Measured &m);

Result<Measured> measureFleet(const Options &o)
{
    const int n = o.measure;
    std::vector<std::unique_ptr<ExternalSimFleet>> sims;
    QList<ProviderConfig> providers;
    for (int first = 0; first < n; first += o.hostsPerSim) {
        QStringList specs;
        for (int i = first; i < std::min(n, first + o.hostsPerSim); ++i)
            specs << u"name=s%1,models=alpha:beta:gamma,max-rows=%2"_s.arg(i).arg(std::max(1000, o.requestsPerHost));
        sims.push_back(std::make_unique<ExternalSimFleet>());
        auto started = sims.back()->start(specs);
        if (!started)
            return started.error();
        providers << *started;
    }
    QTemporaryDir dir;
    DatabaseUrl url;
    url.sqlitePath = dir.filePath(u"scale.sqlite"_s);
    auto stack = IngestStack::create(url, providers);
    if (!stack)
        return stack.error();
    Measured m;
    m.hosts = n;
    m.baselineBytes = residentBytes();
    QElapsedTimer clock;
    clock.start();
    (*stack)->start();
    if (!waitFor([&] { return (*stack)->allConnected(); }, 120000))
        return makeError(u"bench"_s, u"not every host connected within 120 s"_s);
    m.connectSeconds = double(clock.elapsed()) / 1000.0;
    say(u"  %1 hosts connected in %2 s"_s.arg(n).arg(m.connectSeconds, 0, 'f', 1));

    // The worst case for memory: every host's log tails and request ring filled up.
    for (auto &sim : sims) {
        if (o.requestsPerHost == 0) // --requests 0: the idle fleet alone
            break;
        if (auto sent = sim->post(u"/traffic"_s, u"{\"count\":%1,\"rate\":0,\"timing\":\"instant\"}"_s.arg(o.requestsPerHost).toUtf8());
            !sent)
            return sent.error();
    }
    // Until the rows stop coming (a host's own ring may keep fewer than it finished, as
    // llama-swap's metricsMaxInMemory does), at most 10 minutes.
    qint64 lastStored = -1;
    QElapsedTimer quiet;
    quiet.start();
    waitFor(
        [&] {
            const qint64 stored = (*stack)->writer->stats().stored;
            if (stored != lastStored) {
                lastStored = stored;
                quiet.restart();
            }
            return (stored > 0 || o.requestsPerHost == 0) && quiet.elapsed() > 3000;
        },
        600000);
    idleFor(5000); // the last log lines and in-flight updates
    for (const QString &id : (*stack)->fleet->hostIds()) {
        m.logLines += (*stack)->fleet->logTail(id, u"proxy"_s).size() + (*stack)->fleet->logTail(id, u"upstream"_s).size();
        m.recent += (*stack)->fleet->recentActivity(id).size();
    }
    m.rows = (*stack)->writer->stats().stored;
    m.fullBytes = residentBytes();
    if (o.exitWhenFull) {
        std::printf("%s\n", qPrintable(encode(m)));
        std::fflush(stdout);
        std::_Exit(0);
    }

    // Idle: every host connected, no traffic; what the server's timers and polls cost.
    const double before = cpuSeconds();
    QElapsedTimer idle;
    idle.start();
    idleFor(o.idleSeconds * 1000);
    m.idleCpuPercent = 100.0 * (cpuSeconds() - before) / (double(idle.elapsed()) / 1000.0);
    if (!(*stack)->allConnected())
        say(u"  note: not every host stayed connected during the idle phase"_s);

#ifdef Q_OS_LINUX
    malloc_trim(0);
#endif
    m.trimmedBytes = residentBytes();
    return m;
}

// The child's one line of results on stdout, read back by the parent.
QString encode(const Measured &m)
{
    return u"scale-result %1 %2 %3 %4 %5 %6 %7 %8 %9"_s.arg(m.hosts)
        .arg(m.baselineBytes)
        .arg(m.fullBytes)
        .arg(m.trimmedBytes)
        .arg(m.connectSeconds)
        .arg(m.idleCpuPercent)
        .arg(m.logLines)
        .arg(m.recent)
        .arg(m.rows);
}

std::optional<Measured> decode(const QByteArray &output)
{
    for (const QByteArray &line : output.split('\n')) {
        const QList<QByteArray> f = line.trimmed().split(' ');
        if (f.size() != 10 || f.first() != "scale-result")
            continue;
        Measured m;
        m.hosts = f.at(1).toInt();
        m.baselineBytes = f.at(2).toLongLong();
        m.fullBytes = f.at(3).toLongLong();
        m.trimmedBytes = f.at(4).toLongLong();
        m.connectSeconds = f.at(5).toDouble();
        m.idleCpuPercent = f.at(6).toDouble();
        m.logLines = f.at(7).toLongLong();
        m.recent = f.at(8).toLongLong();
        m.rows = f.at(9).toLongLong();
        return m;
    }
    return std::nullopt;
}

Result<Measured> measureInChild(int hosts, const Options &o)
{
    QProcess child;
    child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    child.start(QCoreApplication::applicationFilePath(),
                {u"scale"_s, u"--measure"_s, QString::number(hosts), u"--hosts-per-sim"_s, QString::number(o.hostsPerSim), u"--requests"_s,
                 QString::number(o.requestsPerHost), u"--idle-seconds"_s, QString::number(o.idleSeconds)});
    if (!child.waitForStarted(5000) || !child.waitForFinished(30 * 60 * 1000))
        return makeError(u"bench"_s, u"the measuring child did not finish: "_s + child.errorString());
    const auto measured = decode(child.readAllStandardOutput());
    if (child.exitCode() != 0 || !measured)
        return makeError(u"bench"_s, u"the measuring child of %1 hosts failed"_s.arg(hosts));
    return *measured;
}

bool check(QTextStream &out, const QString &what, const QString &measured, const QString &target, bool met)
{
    out << Qt::left << qSetFieldWidth(48) << what << qSetFieldWidth(14) << measured << qSetFieldWidth(14) << target << qSetFieldWidth(0)
        << (target.isEmpty() ? "" : (met ? "met" : "MISSED")) << '\n';
    return met;
}

QString mb(double bytes)
{
    return QString::number(bytes / 1e6, 'f', 2);
}

} // namespace

int runScale(const QStringList &args)
{
    Options o;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &name = args.at(i);
        if (name == u"--exit-when-full"_s) {
            o.exitWhenFull = true;
            continue;
        }
        const QString value = i + 1 < args.size() ? args.at(++i) : QString();
        if (name == u"--hosts"_s) {
            o.hostCounts.clear();
            for (const QString &count : value.split(u','))
                o.hostCounts << count.toInt();
        } else if (name == u"--measure"_s) {
            o.measure = value.toInt();
        } else if (name == u"--hosts-per-sim"_s) {
            o.hostsPerSim = std::max(1, value.toInt());
        } else if (name == u"--requests"_s) {
            o.requestsPerHost = value.toInt();
        } else if (name == u"--idle-seconds"_s) {
            o.idleSeconds = value.toInt();
        }
    }
    if (args.contains(u"--help"_s)) {
        say(u"boo-bench scale [--hosts 50,500] [--hosts-per-sim 125] [--requests 1500 per host] [--idle-seconds 20]\n"
            u"boo-bench scale --measure N [same options]   one fleet size in this process (for heaptrack, perf)\n"
            u"  --exit-when-full   end right after the memory is measured (heaptrack's \"leaked\" = what was held)"_s);
        return 0;
    }
    if (o.measure > 0) {
        auto measured = measureFleet(o);
        if (!measured)
            return say(measured.error().message), 1;
        std::printf("%s\n", qPrintable(encode(*measured)));
        return 0;
    }

    QList<Measured> results;
    for (const int hosts : std::as_const(o.hostCounts)) {
        say(u"%1 hosts, measured in a fresh process"_s.arg(hosts));
        auto measured = measureInChild(hosts, o);
        if (!measured)
            return say(measured.error().message), 1;
        results << *measured;
    }

    QTextStream out(stdout);
    bool allMet = true;
    out << "\nboo-bench scale: " << grouped(o.requestsPerHost) << " requests per host, idle " << o.idleSeconds << " s, "
        << QThread::idealThreadCount() << " cores\n\n";
    out << Qt::left << qSetFieldWidth(48) << "measure" << qSetFieldWidth(14) << "result" << qSetFieldWidth(14) << "target"
        << qSetFieldWidth(0) << "\n";
    for (const Measured &m : std::as_const(results)) {
        const double perHost = double(m.fullBytes - m.baselineBytes) / m.hosts;
        const QString h = u"%1 hosts: "_s.arg(m.hosts);
        check(out, h + u"log lines / recent rows per host"_s, u"%1 / %2"_s.arg(m.logLines / m.hosts).arg(m.recent / m.hosts), QString(),
              true);
        check(out, h + u"start-up to all connected (s)"_s, QString::number(m.connectSeconds, 'f', 1), u"< 10"_s, m.connectSeconds < 10);
        check(out, h + u"resident before connecting (MB)"_s, mb(double(m.baselineBytes)), QString(), true);
        const bool totalMet = m.hosts < 500 || m.fullBytes < 600'000'000;
        allMet &= check(out, h + u"resident, tails and rings full (MB)"_s, mb(double(m.fullBytes)), m.hosts >= 500 ? u"< 600"_s : QString(),
                        totalMet);
        check(out, h + u"resident after malloc_trim (MB)"_s, mb(double(m.trimmedBytes)), QString(), true);
        allMet &= check(out, h + u"memory per connected host (MB)"_s, mb(perHost), u"<= 1.00"_s, perHost <= 1e6);
        const bool cpuMet = m.hosts < 500 || m.idleCpuPercent < 2.0;
        allMet &= check(out, h + u"CPU idle (% of one core)"_s, QString::number(m.idleCpuPercent, 'f', 2),
                        m.hosts >= 500 ? u"< 2"_s : QString(), cpuMet);
    }
    if (results.size() >= 2) {
        const Measured &a = results.first();
        const Measured &b = results.last();
        if (b.hosts != a.hosts) {
            const double marginal = double(b.fullBytes - a.fullBytes) / double(b.hosts - a.hosts);
            check(out, u"marginal memory per host, %1 -> %2 (MB)"_s.arg(a.hosts).arg(b.hosts), mb(marginal), QString(), true);
        }
    }
    out.flush();
    return allMet ? 0 : 1;
}

} // namespace boo::bench
