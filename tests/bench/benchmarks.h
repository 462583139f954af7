#pragma once

#include <QStringList>

// The benchmarks of `boo-bench <name> [options]`, one function per file, each printing its
// table and returning 0 when every target was met (1 when one was missed, 2 on bad usage).
// Results are copied into docs/performance.md with the command that produced them.
namespace boo::bench {

struct Benchmark
{
    const char *name;
    const char *summary;
    int (*run)(const QStringList &args);
    bool widgets = false; // needs a QApplication (runs on the offscreen platform by default)
};

// Defined in the benchmark's own file; listed in main.cpp.
int runIngest(const QStringList &args);
int runUi(const QStringList &args);
int runGateway(const QStringList &args);
int runEvals(const QStringList &args);
int runScale(const QStringList &args);

} // namespace boo::bench
