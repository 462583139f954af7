// boo-bench: measures BooControl's speed and memory targets on this machine.
//   boo-bench <name> [options]     run one benchmark (boo-bench <name> --help for its options)
//   boo-bench --list               what there is

#include "tests/bench/benchmarks.h"

#include <QCoreApplication>

#include <cstdio>
#include <cstring>

namespace {

const boo::bench::Benchmark kBenchmarks[] = {
    {"ingest", "sim hosts at full speed into SQLite and Postgres: rows/s vs the raw insert ceiling, "
               "event-to-FleetState latency, memory with 50 hosts", &boo::bench::runIngest},
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
    QCoreApplication app(argc, argv);
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
