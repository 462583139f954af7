#pragma once

#include "core/evals/codesandbox.h"
#include "core/evals/evalsuite.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <functional>

namespace boo {

struct TaskCheck
{
    QString suite;
    QString id;
    SandboxVerdict verdict = SandboxVerdict::Error;
    QString detail;
    qint64 elapsedMs = 0;

    QJsonObject toJson() const; // {"id", "verdict", "detail"} plus "suite" and "elapsed_ms"
};

// The program the sandbox runs for a code task: the answer's code, then the task's tests.
QString codeTaskProgram(const QString &code, const EvalTask &task);
// The limits of one run of `task`: its timeout as wall clock and CPU time, the defaults otherwise.
SandboxLimits limitsFor(const EvalTask &task);

// Runs job(0) … job(count - 1) on up to `concurrency` threads of their own (1 to 64) and returns
// when all are done. For blocking work such as sandbox runs.
void runConcurrently(qsizetype count, int concurrency, const std::function<void(qsizetype)> &job);

// `boocontrol eval --check-suite`: runs every code task's reference with its tests in the sandbox,
// `concurrency` at a time, and returns one check per task in the suite's order. A task without a
// reference is an error (nothing proves its tests can pass). Chat suites have nothing to run and
// give no checks.
QList<TaskCheck> checkSuiteReferences(const EvalSuite &suite, const CodeSandbox &sandbox, int concurrency);

} // namespace boo
