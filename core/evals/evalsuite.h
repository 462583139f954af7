#pragma once

#include "core/common/enumnames.h"

#include <QList>
#include <QString>

namespace boo {

// Code suites run the model's answer with the task's tests in the sandbox; chat suites are
// scored by a judge model with a rubric (docs/evals.md).
enum class EvalKind { Code, Chat };
inline constexpr EnumName<EvalKind> kEvalKindNames[] = {
    {EvalKind::Code, u"code"},
    {EvalKind::Chat, u"chat"},
};

// The judge of a chat suite, pinned so that scores of one suite version stay comparable.
struct EvalJudge
{
    QString model; // provider/model or a virtual model
    double temperature = 0.0;

    friend bool operator==(const EvalJudge &, const EvalJudge &) = default;
};

struct EvalTask
{
    QString id;
    QString prompt;
    QString reference; // a known-good answer (code suites: what --check-suite runs); may be empty
    QString tests;     // code suites: Python run after the answer's code; must pass
    int timeoutS = 10; // wall clock for one sandbox run of this task

    friend bool operator==(const EvalTask &, const EvalTask &) = default;
};

// One suite as read from its YAML document; EvalSuiteParser has validated every field.
struct EvalSuite
{
    QString name;
    int version = 1;
    QString description;
    EvalKind kind = EvalKind::Code;
    QString language; // code suites: "python" (the only sandboxed language today)
    EvalJudge judge;  // chat suites
    QString rubric;   // chat suites
    QList<EvalTask> tasks;
    QString sourceFile; // for messages
    int sourceLine = 0; // 1-based line where this document starts

    friend bool operator==(const EvalSuite &, const EvalSuite &) = default;
};

} // namespace boo
