#pragma once

#include "core/common/result.h"
#include "core/evals/evalsuite.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace boo {

// Reads eval suite files (YAML; one suite per document, documents separated by `---`) strictly:
// an unknown key, a value of the wrong kind, a duplicate task id or an out-of-range number is an
// error, never a default. Every message says where and which key, e.g.
//   py.yaml:12:16: tasks[1].timeout_s: 0 is out of range (1 to 600)
// Error code "evals.suite".
class EvalSuiteParser final
{
public:
    // `fileName` only names the source in messages.
    static Result<QList<EvalSuite>> parse(const QByteArray &yaml, const QString &fileName);
    static Result<QList<EvalSuite>> parseFile(const QString &path);

    // Limits a suite file is checked against (also documented in docs/evals.md).
    static constexpr int kMaxTasks = 10000;
    static constexpr int kMaxTimeoutS = 600;
    static constexpr qint64 kMaxFileBytes = 8 * 1024 * 1024;
};

} // namespace boo
