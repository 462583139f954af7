#include "core/remote/llamabenchparser.h"

#include <QJsonDocument>
#include <QJsonParseError>

#include <algorithm>
#include <cmath>
#include <optional>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// llama-bench prints INT and FLOAT fields bare; a hand-made or older line may quote them.
// Only finite numbers: a quoted "inf" or "nan" is no figure.
std::optional<double> number(const QJsonObject &o, QLatin1StringView key)
{
    const QJsonValue v = o.value(key);
    std::optional<double> value;
    if (v.isDouble()) {
        value = v.toDouble();
    } else if (v.isString()) {
        bool ok = false;
        const double d = v.toString().trimmed().toDouble(&ok);
        if (ok)
            value = d;
    }
    if (value && !std::isfinite(*value))
        return std::nullopt;
    return value;
}

// A token count as llama-bench prints it: a whole number from 0 to 2^31 - 1.
std::optional<int> tokens(const QJsonObject &o, QLatin1StringView key)
{
    const auto value = number(o, key);
    if (!value || *value < 0 || *value > 2147483647.0)
        return std::nullopt;
    return int(*value);
}

// A count; a number out of range (a hostile "1e300") is 0, since converting it to an integer
// would be undefined.
qint64 integer(const QJsonObject &o, QLatin1StringView key)
{
    const double value = number(o, key).value_or(0);
    if (value < -9.0e15 || value > 9.0e15)
        return 0;
    return qint64(value);
}

QString text(const QJsonObject &o, QLatin1StringView key)
{
    const QJsonValue v = o.value(key);
    if (v.isString())
        return v.toString();
    if (v.isDouble())
        return QString::number(v.toDouble());
    return {};
}

} // namespace

QString LlamaBenchRecord::testName() const
{
    QString name;
    if (nPrompt > 0 && nGen == 0)
        name = u"pp%1"_s.arg(nPrompt);
    else if (nGen > 0 && nPrompt == 0)
        name = u"tg%1"_s.arg(nGen);
    else
        name = u"pp%1+tg%2"_s.arg(nPrompt).arg(nGen);
    if (nDepth > 0)
        name += u" @ d%1"_s.arg(nDepth);
    return name;
}

LlamaBenchOutput LlamaBenchParser::parse(const QByteArray &output)
{
    LlamaBenchOutput result;
    const QList<QByteArray> lines = output.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const int lineNumber = int(i) + 1;
        const QByteArray line = lines.at(i).trimmed();
        if (line.isEmpty())
            continue;
        QJsonParseError error{};
        const QJsonDocument document = QJsonDocument::fromJson(line, &error);
        if (error.error != QJsonParseError::NoError || !document.isObject()) {
            const QString why = error.error != QJsonParseError::NoError ? error.errorString() : u"not a JSON object"_s;
            result.problems << LlamaBenchProblem{
                lineNumber, u"line %1 is not a llama-bench result (%2): %3"_s.arg(lineNumber).arg(why, QString::fromUtf8(line.left(120)))};
            continue;
        }
        const QJsonObject o = document.object();
        const auto avg = number(o, "avg_ts"_L1);
        const auto prompt = tokens(o, "n_prompt"_L1);
        const auto gen = tokens(o, "n_gen"_L1);
        if (!avg || !prompt || !gen) {
            QStringList missing;
            if (!avg)
                missing << u"avg_ts"_s;
            if (!prompt)
                missing << u"n_prompt"_s;
            if (!gen)
                missing << u"n_gen"_s;
            result.problems << LlamaBenchProblem{
                lineNumber, u"line %1 has no usable %2: not a llama-bench result"_s.arg(lineNumber).arg(missing.join(u", "_s))};
            continue;
        }
        LlamaBenchRecord r;
        r.line = lineNumber;
        r.buildCommit = text(o, "build_commit"_L1);
        r.buildNumber = integer(o, "build_number"_L1);
        r.backends = o.contains("backends"_L1) ? text(o, "backends"_L1) : text(o, "backend"_L1);
        r.cpuInfo = text(o, "cpu_info"_L1);
        r.gpuInfo = text(o, "gpu_info"_L1);
        r.modelFilename = text(o, "model_filename"_L1);
        r.modelType = text(o, "model_type"_L1);
        r.modelSize = integer(o, "model_size"_L1);
        r.modelParams = integer(o, "model_n_params"_L1);
        r.nGpuLayers = int(std::clamp<qint64>(integer(o, "n_gpu_layers"_L1), -1, 100000)); // -1: all of them
        r.nPrompt = *prompt;
        r.nGen = *gen;
        r.nDepth = tokens(o, "n_depth"_L1).value_or(0);
        r.testTime = text(o, "test_time"_L1);
        r.avgTs = *avg;
        r.stddevTs = number(o, "stddev_ts"_L1).value_or(0);
        r.raw = o;
        result.records << r;
    }
    return result;
}

} // namespace boo
