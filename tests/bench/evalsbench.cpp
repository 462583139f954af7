// boo-bench evals — the code sandbox's speed targets (issue 13):
//   * overhead: a trivial program (`pass`) in the bubblewrap sandbox against the same
//     interpreter started directly, taking turns; the overhead is the difference of the medians
//     (what the namespaces, mounts, limits and launcher cost per task). Target < 50 ms p50.
//   * throughput: 100 small code tasks (a function and three asserts each) through
//     checkSuiteReferences at concurrency 4, as `boocontrol eval --check-suite` runs them.
//     Target < 30 s.

#include "tests/bench/benchmarks.h"
#include "tests/bench/benchsupport.h"

#include "core/evals/codesandbox.h"
#include "core/evals/suitecheck.h"

#include <QElapsedTimer>
#include <QProcess>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace boo::bench {

namespace {

void say(const QString &text)
{
    std::fprintf(stderr, "%s\n", qPrintable(text));
}

// The interpreter as the sandbox starts it, without the sandbox.
double bareRunMs(const QString &python)
{
    QElapsedTimer clock;
    clock.start();
    QProcess process;
    process.start(python, {u"-I"_s, u"-S"_s, u"-B"_s, u"-c"_s, u"pass"_s});
    process.waitForFinished(30000);
    return double(clock.nsecsElapsed()) / 1e6;
}

EvalSuite smallTasks(int count)
{
    EvalSuite suite;
    suite.name = u"bench"_s;
    for (int i = 0; i < count; ++i) {
        EvalTask task;
        task.id = u"t%1"_s.arg(i);
        task.prompt = u"-"_s;
        task.reference = u"def f(x):\n    return x * %1 + 1\n"_s.arg(i);
        task.tests = u"assert f(0) == 1\nassert f(1) == %1\nassert f(2) == %2\n"_s.arg(i + 1).arg(2 * i + 1);
        task.timeoutS = 10;
        suite.tasks << task;
    }
    return suite;
}

} // namespace

int runEvals(const QStringList &args)
{
    int samples = 40;
    int tasks = 100;
    int concurrency = 4;
    for (qsizetype i = 0; i + 1 < args.size(); i += 2) {
        if (args[i] == u"--samples")
            samples = args[i + 1].toInt();
        else if (args[i] == u"--tasks")
            tasks = args[i + 1].toInt();
        else if (args[i] == u"--concurrency")
            concurrency = args[i + 1].toInt();
        else {
            say(u"usage: boo-bench evals [--samples 40] [--tasks 100] [--concurrency 4]"_s);
            return 2;
        }
    }
    if (samples < 1 || tasks < 1 || concurrency < 1) {
        say(u"boo-bench evals: --samples, --tasks and --concurrency must be positive"_s);
        return 2;
    }
    const auto sandbox = CodeSandbox::locate();
    if (!sandbox) {
        say(u"boo-bench evals: "_s + sandbox.error().message);
        return 2;
    }

    QList<double> bare;
    QList<double> boxed;
    for (int i = 0; i < samples; ++i) {
        bare << bareRunMs(sandbox->pythonPath());
        const SandboxOutcome outcome = sandbox->runPython(u"pass\n"_s, SandboxLimits{});
        if (outcome.verdict != SandboxVerdict::Passed) {
            say(u"boo-bench evals: a trivial program did not pass: %1"_s.arg(outcome.detail));
            return 1;
        }
        boxed << double(outcome.elapsedMs);
    }
    const double overheadP50 = percentile(boxed, 50) - percentile(bare, 50);
    std::printf("sandbox overhead, %d runs each, taking turns\n", samples);
    std::printf("  %-22s %8s %8s %8s\n", "", "p50 ms", "p90 ms", "max ms");
    std::printf("  %-22s %8.1f %8.1f %8.1f\n", "python3 -c pass", percentile(bare, 50), percentile(bare, 90), percentile(bare, 100));
    std::printf("  %-22s %8.1f %8.1f %8.1f\n", "in the sandbox", percentile(boxed, 50), percentile(boxed, 90), percentile(boxed, 100));
    std::printf("  overhead p50: %.1f ms (target < 50 ms)\n", overheadP50);

    const EvalSuite suite = smallTasks(tasks);
    QElapsedTimer clock;
    clock.start();
    const QList<TaskCheck> checks = checkSuiteReferences(suite, *sandbox, concurrency);
    const double seconds = double(clock.elapsed()) / 1000.0;
    qsizetype passed = 0;
    for (const TaskCheck &check : checks)
        passed += check.verdict == SandboxVerdict::Passed ? 1 : 0;
    std::printf("%d small code tasks at concurrency %d: %.1f s, %lld passed (target < 30 s for 100)\n", tasks, concurrency, seconds,
                qlonglong(passed));
    const bool met = overheadP50 < 50.0 && passed == tasks && (tasks != 100 || seconds < 30.0);
    return met ? 0 : 1;
}

} // namespace boo::bench
