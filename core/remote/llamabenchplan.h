#pragma once

#include "core/common/result.h"

#include <QByteArray>
#include <QStringList>

namespace boo {

// What to run on a host for device-level numbers: llama-bench with the model file and the
// flags that shape its speed (GPU layers, batch sizes, KV cache types, flash attention, split,
// threads, ...), taken from the model's `cmd` in the host's llama-swap config or given by the
// operator. llama-server flags that llama-bench does not take (ports, context size, sampling,
// chat templates) are left out and listed in `dropped`.
struct LlamaBenchPlan
{
    QString program = QStringLiteral("llama-bench");
    QString modelPath;
    QStringList flags;   // llama-bench's spelling
    QStringList dropped; // arguments of cmd not carried over, for the operator to see

    // `program -m MODEL FLAGS... -o jsonl`, quoted for a POSIX shell. `-o jsonl` goes last so
    // that it wins over an -o in the operator's flags.
    QString shellCommand() const;

    // The plan for `modelId` of a llama-swap config text: its `cmd` after llama-swap's macro pass,
    // split as a shell would, `-m`/`--model` found in it; llama-bench is looked for next to a
    // llama-server given by path, else on PATH. Errors: "llamabench.config" (not YAML, no such
    // model, no cmd), "llamabench.no_model" (cmd names no model file: -hf models cannot be
    // measured this way).
    static Result<LlamaBenchPlan> fromConfig(const QByteArray &configText, const QString &modelId);
    // The same from a command line already split.
    static Result<LlamaBenchPlan> fromCommand(const QStringList &argv);
    // A command line split into words the way a POSIX shell would (quotes, backslashes,
    // backslash-newline continuations); an unclosed quote is an error ("llamabench.flags").
    static Result<QStringList> splitWords(const QString &command);
};

} // namespace boo
