// boo-bench: measures BooControl's speed and memory targets on this machine.
//   boo-bench <name> [options]     run one benchmark (boo-bench <name> --help for its options)
//   boo-bench --list               what there is

#include "tests/bench/benchmarks.h"

#ifdef Q_OS_LINUX
#include "core/server/epolleventdispatcher.h"
#endif

#include <QCoreApplication>
#if BOO_BENCH_UI
#include <QApplication>
#endif

#include <cstdio>
#include <cstring>
#include <memory>

namespace {

const boo::bench::Benchmark kBenchmarks[] = {
    {"ingest",
     "sim hosts at full speed into SQLite and Postgres: rows/s vs the raw insert ceiling, "
     "event-to-FleetState latency, memory with 50 hosts",
     &boo::bench::runIngest},
    {"scale",
     "50 and 500 sim hosts, each size in a fresh process: memory per connected host with full log tails and "
     "request rings, CPU of the idle fleet",
     &boo::bench::runScale},
#if BOO_BENCH_UI
    {"ui", "the Activity table on 1,000,000 stored requests: open, filter, memory, 5,000 live rows/s", &boo::bench::runUi, true},
#endif
    {"gateway",
     "streaming chat straight to a sim host, through the gateway and through nginx at 1/16/64 streams: "
     "added time to first byte, requests/s",
     &boo::bench::runGateway},
    {"evals", "the code sandbox: overhead per task against a bare python3, 100 small tasks at concurrency 4", &boo::bench::runEvals},
};

int usage(int exitCode)
{
    std::fprintf(stderr, "usage: boo-bench <name> [options]\n\nbenchmarks:\n");
    for (const auto &b : kBenchmarks)
        std::fprintf(stderr, "  %-10s %s\n", b.name, b.summary);
    return exitCode;
}

} // namespace

int main(int argc, char *argv[])
{
    std::unique_ptr<QCoreApplication> app;
#if BOO_BENCH_UI
    for (const auto &b : kBenchmarks) {
        if (b.widgets && argc > 1 && std::strcmp(argv[1], b.name) == 0) {
            if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
                qputenv("QT_QPA_PLATFORM", "offscreen");
            app = std::make_unique<QApplication>(argc, argv);
        }
    }
#endif
    if (!app) {
#ifdef Q_OS_LINUX
        // The gateway benchmark's load generator (64 clients) should take as little of the machine
        // as it can from the processes it measures: it waits with epoll, as --serve does. The
        // others keep Qt's loop, which the desktop runs the ingest on.
        if (argc > 1 && std::strcmp(argv[1], "gateway") == 0) {
            if (auto *dispatcher = boo::EpollEventDispatcher::create())
                QCoreApplication::setEventDispatcher(dispatcher);
        }
#endif
        app = std::make_unique<QCoreApplication>(argc, argv);
    }
    const QStringList args = QCoreApplication::arguments().mid(1);
    if (args.isEmpty() || args.first() == QLatin1String("--help") || args.first() == QLatin1String("--list"))
        return usage(args.isEmpty() ? 2 : 0);
    for (const auto &b : kBenchmarks) {
        if (args.first() == QLatin1String(b.name))
            return b.run(args.mid(1));
    }
    std::fprintf(stderr, "boo-bench: unknown benchmark '%s'\n", qPrintable(args.first()));
    return usage(2);
}
