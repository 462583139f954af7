#include "core/evals/suitecheck.h"

#include <QThread>

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

namespace boo {

QJsonObject TaskCheck::toJson() const
{
    return QJsonObject{{u"suite"_s, suite},
                       {u"id"_s, id},
                       {u"verdict"_s, enumName(kSandboxVerdictNames, verdict).toString()},
                       {u"detail"_s, detail},
                       {u"elapsed_ms"_s, elapsedMs}};
}

QString codeTaskProgram(const QString &code, const EvalTask &task)
{
    QString program = code;
    if (!program.endsWith(u'\n'))
        program += u'\n';
    return program + u"\n# --- tests ---\n"_s + task.tests + u'\n';
}

SandboxLimits limitsFor(const EvalTask &task)
{
    SandboxLimits limits;
    limits.wallClockMs = task.timeoutS * 1000;
    limits.cpuSeconds = task.timeoutS;
    return limits;
}

void runConcurrently(qsizetype count, int concurrency, const std::function<void(qsizetype)> &job)
{
    std::atomic<qsizetype> next{0};
    const auto work = [&] {
        for (qsizetype i = next++; i < count; i = next++)
            job(i);
    };
    // Each worker is a thread of its own: a sandbox run blocks while its process runs.
    std::vector<std::unique_ptr<QThread>> workers;
    const int threads = int(qMin<qsizetype>(qBound(1, concurrency, 64), qMax<qsizetype>(count, 1)));
    for (int i = 0; i < threads; ++i) {
        workers.emplace_back(QThread::create(work));
        workers.back()->start();
    }
    for (auto &worker : workers)
        worker->wait();
}

QList<TaskCheck> checkSuiteReferences(const EvalSuite &suite, const CodeSandbox &sandbox, int concurrency)
{
    if (suite.kind != EvalKind::Code)
        return {};
    // Workers write different elements at once: a vector, which never detaches like a QList.
    std::vector<TaskCheck> checks(std::size_t(suite.tasks.size()));
    runConcurrently(suite.tasks.size(), concurrency, [&](qsizetype i) {
        const EvalTask &task = suite.tasks.at(i);
        TaskCheck &check = checks[std::size_t(i)];
        check.suite = suite.name;
        check.id = task.id;
        if (task.reference.trimmed().isEmpty()) {
            check.verdict = SandboxVerdict::Error;
            check.detail = u"the task has no reference to check"_s;
            return;
        }
        const SandboxOutcome outcome = sandbox.runPython(codeTaskProgram(task.reference, task), limitsFor(task));
        check.verdict = outcome.verdict;
        check.detail = outcome.detail;
        check.elapsedMs = outcome.elapsedMs;
    });
    return QList<TaskCheck>(checks.begin(), checks.end());
}

} // namespace boo
