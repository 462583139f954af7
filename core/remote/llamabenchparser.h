#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace boo {

// One test of llama-bench (`-o jsonl`: one JSON object per line). The names are llama-bench's
// own (tools/llama-bench/llama-bench.cpp, `test::get_fields()`); a field it did not print stays
// empty or 0, and `raw` keeps the whole line so nothing is lost to a field we do not read.
struct LlamaBenchRecord
{
    int line = 0; // 1-based, in the command's output
    QString buildCommit;
    qint64 buildNumber = 0;
    QString backends; // "CUDA", "Vulkan,BLAS", "CPU"; older builds printed "backend"
    QString cpuInfo;
    QString gpuInfo;
    QString modelFilename;
    QString modelType; // llama.cpp's description: "llama 8B Q4_K - Medium"
    qint64 modelSize = 0;
    qint64 modelParams = 0;
    int nGpuLayers = 0;
    int nPrompt = 0;
    int nGen = 0;
    int nDepth = 0;
    QString testTime; // RFC 3339, as printed
    double avgTs = 0;
    double stddevTs = 0;
    QJsonObject raw;

    // "pp512", "tg128", "pp512+tg128", with " @ d4096" when run at a depth: llama-bench's own names.
    QString testName() const;
};

struct LlamaBenchProblem
{
    int line = 0;
    QString message;
};

struct LlamaBenchOutput
{
    QList<LlamaBenchRecord> records;
    QList<LlamaBenchProblem> problems; // lines that are not a test: named, never fatal
};

// Reads llama-bench's JSON lines tolerantly: unknown fields are kept in `raw` and otherwise
// ignored, numbers printed as strings are read, blank lines skipped; a line that is not a JSON
// object, or lacks the throughput (avg_ts) or the test's shape (n_prompt, n_gen), is reported
// with its line number and skipped. Log lines llama.cpp may print to stdout are problems too.
class LlamaBenchParser final
{
public:
    static LlamaBenchOutput parse(const QByteArray &output);
};

} // namespace boo
