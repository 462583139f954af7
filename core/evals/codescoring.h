#pragma once

#include "core/evals/codesandbox.h"
#include "core/evals/evalstore.h"
#include "core/evals/evalsuite.h"

#include <QList>
#include <QString>

namespace boo {

// One model answer to a code task, waiting to be scored.
struct CodeAnswer
{
    qsizetype taskIndex = 0; // into the suite's tasks
    QString target;
    int sample = 0;
    QString host;
    QString answer;
    std::optional<double> ttftMs;
    std::optional<double> tokensPerSecond;
};

// Scores answers to a code suite: the code is extracted from each answer (extractPythonCode),
// run with the task's tests in the sandbox under the task's limits, `concurrency` at a time;
// the verdict is the sandbox's. Returns one result per answer, in the answers' order, ready for
// EvalStore::addResult. An answer without code fails without a run.
QList<EvalResult> scoreCodeAnswers(const EvalSuite &suite, const QList<CodeAnswer> &answers, const CodeSandbox &sandbox, int concurrency,
                                   qint64 nowMs);

} // namespace boo
