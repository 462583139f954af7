#include "core/evals/codescoring.h"

#include "core/evals/codeextraction.h"
#include "core/evals/suitecheck.h"

#include <vector>

using namespace Qt::StringLiterals;

namespace boo {

QList<EvalResult> scoreCodeAnswers(const EvalSuite &suite, const QList<CodeAnswer> &answers, const CodeSandbox &sandbox, int concurrency,
                                   qint64 nowMs)
{
    // Workers write different elements at once: a vector, which never detaches like a QList.
    std::vector<EvalResult> results(std::size_t(answers.size()));
    runConcurrently(answers.size(), concurrency, [&](qsizetype i) {
        const CodeAnswer &answer = answers.at(i);
        EvalResult &result = results[std::size_t(i)];
        result.target = answer.target;
        result.sample = answer.sample;
        result.host = answer.host;
        result.answer = answer.answer;
        result.ttftMs = answer.ttftMs;
        result.tokensPerSecond = answer.tokensPerSecond;
        result.createdAtMs = nowMs;
        if (answer.taskIndex < 0 || answer.taskIndex >= suite.tasks.size()) {
            result.verdict = enumNameString(kSandboxVerdictNames, SandboxVerdict::Error);
            result.detail = u"no such task"_s;
            return;
        }
        const EvalTask &task = suite.tasks.at(answer.taskIndex);
        result.taskId = task.id;
        const QString code = extractPythonCode(answer.answer);
        if (code.trimmed().isEmpty()) {
            result.verdict = enumNameString(kSandboxVerdictNames, SandboxVerdict::Failed);
            result.detail = u"the answer holds no code"_s;
            return;
        }
        const SandboxOutcome outcome = sandbox.runPython(codeTaskProgram(code, task), limitsFor(task));
        result.verdict = enumNameString(kSandboxVerdictNames, outcome.verdict);
        result.detail = outcome.detail;
        result.elapsedMs = double(outcome.elapsedMs);
    });
    return QList<EvalResult>(results.begin(), results.end());
}

} // namespace boo
